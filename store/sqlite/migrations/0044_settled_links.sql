-- A sent or failed message keeps no live invitation link (rollcall.Message.MarkSent):
-- drop the links that messages settled before that rule still hold. A body has one
-- link, whose token is 43 characters.
UPDATE messages SET text_body = replace(text_body, substr(text_body, instr(text_body, '/invitations/'), 56), '/invitations/xxxxx')
    WHERE status IN ('sent', 'failed') AND instr(text_body, '/invitations/') > 0 AND instr(text_body, '/invitations/xxxxx') = 0;
UPDATE messages SET html_body = replace(html_body, substr(html_body, instr(html_body, '/invitations/'), 56), '/invitations/xxxxx')
    WHERE status IN ('sent', 'failed') AND instr(html_body, '/invitations/') > 0 AND instr(html_body, '/invitations/xxxxx') = 0;
