import { describe, expect, it } from "vitest";
import { parseCidr } from "../../addresses/cidr.js";
import { deploymentStrategy } from "./deployment-strategy.js";
import { replicationControllerStrategy } from "./replication-controller-strategy.js";
import type { StrategyContext } from "./strategy.js";
import type { KubeObject } from "../../api/types.js";

const nothing = { pick: (): undefined => undefined };
const context: StrategyContext = { serviceRange: parseCidr("10.0.0.0/16"), podRange: parseCidr("10.244.0.0/16"), serviceIPs: nothing, podIPs: nothing };
const template = (labels: Record<string, string> | undefined, spec: Record<string, unknown> = {}): Record<string, unknown> => ({
  metadata: labels === undefined ? {} : { labels },
  spec: { containers: [{ name: "web", image: "nginx" }], ...spec },
});
const deployment = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" }, spec });
const rc = (spec: Record<string, unknown>, labels?: Record<string, string>): KubeObject => ({ apiVersion: "v1", kind: "ReplicationController", metadata: { name: "rc", labels }, spec });

async function created(strategy: typeof deploymentStrategy, object: KubeObject): Promise<{ object: KubeObject; errors: string[] }> {
  await strategy.prepareCreate(object, context);
  return { object, errors: strategy.validate(object, context).map((e) => `${e.field}: ${e.message}`) };
}

describe("the Deployment strategy", () => {
  it("defaults replicas, the rolling update, the history and progress limits, and the template's pod spec", async () => {
    const { object, errors } = await created(deploymentStrategy, deployment({ selector: { matchLabels: { app: "web" } }, template: template({ app: "web" }) }));
    expect(errors).toEqual([]);
    expect(object["spec"]).toMatchObject({
      replicas: 1,
      strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "25%", maxSurge: "25%" } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      template: { spec: { restartPolicy: "Always", dnsPolicy: "ClusterFirst", containers: [{ imagePullPolicy: "Always", terminationMessagePolicy: "File" }] } },
    });
    expect((object["spec"] as { template: { spec: Record<string, unknown> } }).template.spec["nodeName"]).toBeUndefined();
    expect(object["status"]).toEqual({});
  });

  it("refuses a missing, empty or unmatched selector, negative replicas and a restartPolicy other than Always", async () => {
    expect((await created(deploymentStrategy, deployment({ template: template({ app: "web" }) }))).errors).toEqual(["spec.selector: Required value"]);
    expect((await created(deploymentStrategy, deployment({ selector: {}, template: template({ app: "web" }) }))).errors[0]).toMatch(/^spec\.selector: Invalid value: .*empty selector is invalid for deployment$/);
    expect((await created(deploymentStrategy, deployment({ selector: { matchLabels: { app: "web" } }, template: template({ app: "api" }) }))).errors).toEqual([
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"api"}: `selector` does not match template `labels`',
    ]);
    const bad = await created(deploymentStrategy, deployment({ replicas: -1, selector: { matchLabels: { app: "web" } }, template: template({ app: "web" }, { restartPolicy: "Never" }) }));
    expect(bad.errors).toEqual(["spec.replicas: Invalid value: -1: must be greater than or equal to 0", 'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"']);
  });

  it("keeps status on update and refuses a changed selector", async () => {
    const { object: old } = await created(deploymentStrategy, deployment({ selector: { matchLabels: { app: "web" } }, template: template({ app: "web" }) }));
    old["status"] = { replicas: 1 };
    const update = deployment({ selector: { matchLabels: { app: "web" } }, template: template({ app: "web" }), replicas: 3 });
    deploymentStrategy.prepareUpdate(update, old, context);
    expect(update["status"]).toEqual({ replicas: 1 });
    const moved = deployment({ selector: { matchLabels: { app: "api" } }, template: template({ app: "api" }) });
    expect(() => deploymentStrategy.prepareUpdate(moved, old, context)).toThrow(/Deployment\.apps "web" is invalid: spec\.selector: .*field is immutable/);
  });
});

describe("the ReplicationController strategy", () => {
  it("defaults the selector and the labels to the template's labels, and replicas to 1", async () => {
    const { object, errors } = await created(replicationControllerStrategy, rc({ template: template({ app: "dns" }) }));
    expect(errors).toEqual([]);
    expect([object.metadata.labels, (object["spec"] as Record<string, unknown>)["selector"], (object["spec"] as Record<string, unknown>)["replicas"], object["status"]]).toEqual([{ app: "dns" }, { app: "dns" }, 1, { replicas: 0 }]);
    const labelled = await created(replicationControllerStrategy, rc({ selector: { app: "dns" }, template: template({ app: "dns", v: "1" }) }, { team: "x" }));
    expect([labelled.object.metadata.labels, (labelled.object["spec"] as Record<string, unknown>)["selector"]]).toEqual([{ team: "x" }, { app: "dns" }]);
  });

  it("refuses a missing selector or template, and a selector the template's labels do not match", async () => {
    expect((await created(replicationControllerStrategy, rc({ template: template(undefined) }))).errors).toEqual(["spec.selector: Required value"]);
    expect((await created(replicationControllerStrategy, rc({ selector: { app: "dns" } }))).errors).toEqual(["spec.template: Required value"]);
    expect((await created(replicationControllerStrategy, rc({ selector: { app: "dns" }, template: template({ app: "web" }) }))).errors).toEqual([
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
    ]);
  });
});
