import dnsPacket from "dns-packet";
import { describe, expect, it } from "vitest";
import { answerDifferences, replyOf } from "./answers.js";
import type { Question } from "./questions.js";

const KEY = "/skydns/local/cluster/svc/default/web/3a6b5c4d";
const question: Question = {
  name: "web.default.svc.cluster.local.", type: "A", object: "Service default/web",
  directory: "/skydns/local/cluster/svc/default/web", expected: new Map([["10.0.0.53", KEY]]),
};

function packet(answers: dnsPacket.Answer[], rcode = "NOERROR"): dnsPacket.DecodedPacket {
  return { ...dnsPacket.decode(dnsPacket.encode({ type: "response", id: 1, answers })), rcode } as dnsPacket.DecodedPacket;
}

describe("answerDifferences", () => {
  it("finds nothing when skydns answers exactly what etcd holds", () => {
    const reply = replyOf(packet([{ type: "A", name: "Web.default.svc.cluster.local", data: "10.0.0.53" }]), question);
    expect(answerDifferences(question, reply)).toEqual([]);
  });

  it("names the etcd key of a record skydns does not answer, with the rcode", () => {
    const differences = answerDifferences(question, replyOf(packet([], "NXDOMAIN"), question));
    expect(differences).toEqual([
      { kind: "dns-differs", object: "Service default/web", key: KEY, detail: "A web.default.svc.cluster.local.: skydns does not answer 10.0.0.53 (NXDOMAIN)" },
    ]);
  });

  it("names an answer etcd does not hold, at the name's directory", () => {
    const reply = replyOf(packet([{ type: "A", name: "web.default.svc.cluster.local", data: "10.0.0.53" }, { type: "A", name: "web.default.svc.cluster.local", data: "10.0.0.99" }]), question);
    expect(answerDifferences(question, reply).map((d) => [d.key, d.detail])).toEqual([
      [question.directory, "A web.default.svc.cluster.local.: skydns answers 10.0.0.99, which etcd does not hold"],
    ]);
  });

  it("ignores answers of another name or type (a CNAME chain's target)", () => {
    const reply = replyOf(packet([
      { type: "A", name: "web.default.svc.cluster.local", data: "10.0.0.53" },
      { type: "A", name: "other.example.org", data: "192.0.2.1" },
    ]), question);
    expect(reply.rdata).toEqual(["10.0.0.53"]);
  });

  it("renders SRV, PTR and TXT answers as the records render", () => {
    const srv: Question = { ...question, type: "SRV", name: "_http._tcp.web.default.svc.cluster.local." };
    expect(replyOf(packet([{ type: "SRV", name: "_http._tcp.web.default.svc.cluster.local", data: { port: 80, target: "web.default.svc.cluster.local", priority: 10, weight: 100 } }]), srv).rdata).toEqual(["80 web.default.svc.cluster.local."]);
    const txt: Question = { ...question, type: "TXT", name: "dns-version.cluster.local." };
    expect(replyOf(packet([{ type: "TXT", name: "dns-version.cluster.local", data: ["1.1.0"] }]), txt).rdata).toEqual(["1.1.0"]);
  });

  it("reports a question skydns never answered", () => {
    expect(answerDifferences(question, undefined)[0]?.detail).toBe("A web.default.svc.cluster.local.: no reply from skydns");
  });
});
