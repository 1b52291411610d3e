// One read call per face with the official clients of the AWS SDK for JavaScript v3, in
// their default configuration (standard retries, clock skew correction). Prints, per
// face, "ok <attempts>" or "error <name>: <message>".
import { ChimeClient, ListAccountsCommand } from "@aws-sdk/client-chime";
import { WorkDocsClient, DescribeUsersCommand } from "@aws-sdk/client-workdocs";
import { AlexaForBusinessClient, SearchUsersCommand } from "@aws-sdk/client-alexa-for-business";

const endpoint = process.argv[2];
const cfg = { endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } };
for (const [face, client, command] of [
  ["chime", new ChimeClient(cfg), new ListAccountsCommand({})],
  ["workdocs", new WorkDocsClient(cfg), new DescribeUsersCommand({ OrganizationId: "d-0000000000" })],
  ["alexaforbusiness", new AlexaForBusinessClient(cfg), new SearchUsersCommand({})],
]) {
  try {
    const out = await client.send(command);
    console.log(face, "ok", out.$metadata.attempts);
  } catch (e) {
    console.log(face, "error", e.name + ":", e.message);
  }
}
