-- The W3C trace context (traceparent, tracestate) of the request that queued a message,
-- so that the span of its sending joins that request's trace. Messages queued before
-- have none: ''. A constant default rewrites no row.
ALTER TABLE messages ADD COLUMN traceparent text NOT NULL DEFAULT '',
    ADD COLUMN tracestate text NOT NULL DEFAULT '';
