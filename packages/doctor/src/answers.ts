import type dnsPacket from "dns-packet";
import { expandIPv6, normalizeName } from "@kube-dns/msg";
import type { Difference } from "./difference.js";
import type { Question } from "./questions.js";

/** Reply is what skydns answered to one question, reduced to what is compared: the rcode and the rdata asked for. */
export interface Reply {
  readonly rcode: string;
  readonly rdata: readonly string[];
}

/** replyOf reduces a decoded reply to the answers of the question's name and type, rendered as rdataOf renders records. */
export function replyOf(packet: dnsPacket.DecodedPacket, question: Question): Reply {
  const rcode = (packet as { rcode?: string }).rcode ?? "NOERROR";
  const rdata: string[] = [];
  for (const answer of packet.answers ?? []) {
    if (answer.type !== question.type || normalizeName(answer.name) !== question.name) continue;
    const text = renderAnswer(answer);
    if (text !== undefined) rdata.push(text);
  }
  return { rcode, rdata };
}

function renderAnswer(answer: dnsPacket.Answer): string | undefined {
  switch (answer.type) {
    case "A":
      return answer.data;
    case "AAAA":
      return expandIPv6(answer.data);
    case "PTR":
    case "CNAME":
      return normalizeName(answer.data);
    case "SRV":
      return `${answer.data.port} ${normalizeName(answer.data.target)}`;
    case "TXT": {
      const parts = Array.isArray(answer.data) ? answer.data : [answer.data];
      return parts.map((part) => part.toString()).join("");
    }
    default:
      return undefined;
  }
}

/**
 * answerDifferences compares skydns's reply with what etcd implies: one difference per record etcd holds that the
 * reply lacks, and one per answer etcd does not hold. No reply at all is one difference for the name.
 */
export function answerDifferences(question: Question, reply: Reply | undefined): Difference[] {
  const asked = `${question.type} ${question.name}`;
  const { object } = question;
  if (reply === undefined) return [{ kind: "dns-differs", object, key: question.directory, detail: `${asked}: no reply from skydns` }];
  const differences: Difference[] = [];
  const got = new Set(reply.rdata);
  for (const [rdata, key] of question.expected) {
    if (!got.has(rdata)) differences.push({ kind: "dns-differs", object, key, detail: `${asked}: skydns does not answer ${rdata} (${reply.rcode})` });
  }
  for (const rdata of got) {
    if (!question.expected.has(rdata)) differences.push({ kind: "dns-differs", object, key: question.directory, detail: `${asked}: skydns answers ${rdata}, which etcd does not hold` });
  }
  return differences;
}
