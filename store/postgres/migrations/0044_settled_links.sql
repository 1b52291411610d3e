-- A sent or failed message keeps no live invitation link (rollcall.Message.MarkSent):
-- drop the links that messages settled before that rule still hold. Idempotent.
UPDATE messages SET
    text_body = regexp_replace(text_body, '/invitations/[A-Za-z0-9_-]{16,}', '/invitations/xxxxx', 'g'),
    html_body = regexp_replace(html_body, '/invitations/[A-Za-z0-9_-]{16,}', '/invitations/xxxxx', 'g')
    WHERE status IN ('sent', 'failed') AND (text_body ~ '/invitations/[A-Za-z0-9_-]{16,}' OR html_body ~ '/invitations/[A-Za-z0-9_-]{16,}');
