import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { kubeConfigFor, SERVICE_ACCOUNT_DIR } from "./kube.js";

const dir = mkdtempSync(join(tmpdir(), "kube2sky-kubeconfig-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
- name: dev
  cluster: { server: "https://127.0.0.1:6443" }
users:
- name: me
  user: { token: abc }
contexts:
- name: dev
  context: { cluster: dev, user: me }
current-context: dev
`;

describe("kubeConfigFor", () => {
  it("uses the master URL alone without credentials", () => {
    const config = kubeConfigFor({ masterUrl: "http://127.0.0.1:8080/" });
    expect(config.getCurrentCluster()?.server).toBe("http://127.0.0.1:8080");
    expect(config.getCurrentUser()?.token).toBeUndefined();
  });

  it("refuses a master URL without scheme and host, or with credentials in it", () => {
    expect(() => kubeConfigFor({ masterUrl: "127.0.0.1:8080x" })).toThrow();
    expect(() => kubeConfigFor({ masterUrl: "http://user:secret@127.0.0.1:8080" })).toThrow(/credentials/);
  });

  it("loads a kubeconfig, and lets the master URL replace its server but keep its user", () => {
    const path = join(dir, "config");
    writeFileSync(path, KUBECONFIG);
    expect(kubeConfigFor({ kubeconfigFile: path }).getCurrentCluster()?.server).toBe("https://127.0.0.1:6443");
    const both = kubeConfigFor({ kubeconfigFile: path, masterUrl: "https://127.0.0.1:7443" });
    expect(both.getCurrentCluster()?.server).toBe("https://127.0.0.1:7443");
    expect(both.getCurrentCluster()?.skipTLSVerify).toBeFalsy();
    expect(both.getCurrentUser()?.token).toBe("abc");
  });

  it("refuses to start outside a cluster when neither flag is given, naming what is missing", () => {
    expect(() => kubeConfigFor({}, {})).toThrow(/no --kube-master-url or --kubecfg-file, and not in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set/);
    expect(() => kubeConfigFor({}, { KUBERNETES_SERVICE_HOST: "10.0.0.1", KUBERNETES_SERVICE_PORT: "" })).toThrow(/KUBERNETES_SERVICE_PORT/);
  });

  // Only meaningful where no service account is mounted, as on a developer's machine or in CI.
  it.skipIf(existsSync(`${SERVICE_ACCOUNT_DIR}/token`))("refuses an in-cluster start with no service-account token mounted", () => {
    expect(() => kubeConfigFor({}, { KUBERNETES_SERVICE_HOST: "10.0.0.1", KUBERNETES_SERVICE_PORT: "443" })).toThrow(/no service-account token at \/var\/run\/secrets\/kubernetes.io\/serviceaccount\/token/);
  });
});
