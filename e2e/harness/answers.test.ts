import { describe, expect, it } from "vitest";
import { digSection, digStatus, getentHosts, nslookupAnswers, shortAnswers } from "./answers.js";

const NSLOOKUP = "Server:\t\t127.0.0.11\nAddress:\t127.0.0.11#53\n\nName:\tweb.default.svc.cluster.local\nAddress: 10.244.1.2\nName:\tweb.default.svc.cluster.local\nAddress: 10.244.1.3\n\n";

const DIG = `;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 1
;; ANSWER SECTION:
_http._tcp.my-nginx.default.svc.cluster.local. 30 IN SRV 10 10 80 my-nginx.default.svc.cluster.local.

;; ADDITIONAL SECTION:
my-nginx.default.svc.cluster.local. 30\tIN\tA\t10.0.0.190

;; Query time: 4 msec
`;

describe("answers", () => {
  it("reads nslookup's answers, skipping the server's own Address line", () => {
    expect(nslookupAnswers(NSLOOKUP)).toEqual([
      { name: "web.default.svc.cluster.local", address: "10.244.1.2" },
      { name: "web.default.svc.cluster.local", address: "10.244.1.3" },
    ]);
    expect(nslookupAnswers("Server:\t\t127.0.0.11\nAddress:\t127.0.0.11#53\n\n** server can't find x: NXDOMAIN\n")).toEqual([]);
  });

  it("reads one section of dig's output and its status", () => {
    expect(digSection(DIG, "ANSWER")).toEqual([
      { name: "_http._tcp.my-nginx.default.svc.cluster.local.", ttl: 30, type: "SRV", data: "10 10 80 my-nginx.default.svc.cluster.local." },
    ]);
    expect(digSection(DIG, "ADDITIONAL")).toEqual([{ name: "my-nginx.default.svc.cluster.local.", ttl: 30, type: "A", data: "10.0.0.190" }]);
    expect(digSection(DIG, "AUTHORITY")).toEqual([]);
    expect(digStatus(DIG)).toBe("NOERROR");
  });

  it("reads dig +short and getent hosts output", () => {
    expect(shortAnswers("10.0.0.2\n10.0.0.1\n")).toEqual(["10.0.0.1", "10.0.0.2"]);
    expect(shortAnswers(";; communications error\n")).toEqual([]);
    expect(getentHosts("10.0.0.1        kubernetes.default.svc.cluster.local\n")).toEqual([{ address: "10.0.0.1", names: ["kubernetes.default.svc.cluster.local"] }]);
  });
});
