-- The W3C trace context (traceparent, tracestate) of the request that queued a message,
-- so that the span of its sending joins that request's trace. Messages queued before
-- have none: ''.
ALTER TABLE messages ADD COLUMN traceparent TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN tracestate TEXT NOT NULL DEFAULT '';
