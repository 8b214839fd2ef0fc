import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { npmTool } from '../../helpers/tools.ts';

/**
 * Validates deploy/k8s offline, three ways:
 * - schema: every object against the Kubernetes OpenAPI schemas, compiled to ajv validators by
 *   kubernetes-models (types, required fields, enums, formats);
 * - strict: every field name against the model table of the generated Kubernetes client (OpenAPI
 *   release-1.36), the way `kubectl --validate=strict` rejects a misspelled field that the schemas allow;
 * - policy: the hardening the feature promises (non-root, read-only root, no capabilities, seccomp,
 *   probes on the health routes, a grace period longer than the API's shutdown delay, ...), and the
 *   references between the objects and the kustomization.
 */
const YAML = { name: 'yaml', version: '2.9.1' };
const MODELS = { name: 'kubernetes-models', version: '5.1.0' };
const CLIENT = { name: '@kubernetes/client-node', version: '2.0.1' };

type Json = Record<string, unknown>;
interface Manifest {
  file: string;
  object: Json;
}
interface YamlModule {
  parseAllDocuments(source: string): { errors: { message: string }[]; toJS(): unknown }[] | { errors: { message: string }[] };
  parse(source: string): unknown;
}
interface Attribute {
  baseName: string;
  type: string;
}

const DIR = 'deploy/k8s';

export async function validateK8s(project: string): Promise<void> {
  const [yamlDir, modelsDir, clientDir] = await Promise.all([npmTool(YAML), npmTool(MODELS), npmTool(CLIENT)]);
  const yaml = createRequire(path.join(yamlDir, 'package.json'))('yaml') as YamlModule;
  const root = path.join(project, DIR);
  const problems: string[] = [];

  const manifests: Manifest[] = [];
  for (const file of readdirSync(root).filter((f) => /\.ya?ml$/.test(f) && f !== 'kustomization.yaml')) {
    const documents = yaml.parseAllDocuments(readFileSync(path.join(root, file), 'utf8'));
    if (!Array.isArray(documents)) throw new Error(`${file}: not YAML documents`);
    for (const document of documents) {
      for (const error of document.errors) problems.push(`${file}: YAML: ${error.message}`);
      const object = document.toJS();
      if (isObject(object)) manifests.push({ file, object });
    }
  }
  const kustomization = yaml.parse(readFileSync(path.join(root, 'kustomization.yaml'), 'utf8'));
  if (!isObject(kustomization)) throw new Error(`${DIR}/kustomization.yaml is not a mapping`);

  for (const manifest of manifests) {
    problems.push(...(await schemaProblems(modelsDir, manifest)), ...(await strictProblems(clientDir, manifest)));
  }
  problems.push(...policyProblems(project, manifests, kustomization, root));
  if (problems.length > 0) throw new Error(`${DIR} is not valid:\n  ${problems.join('\n  ')}`);
}

async function schemaProblems(modelsDir: string, { file, object }: Manifest): Promise<string[]> {
  const { group, version, kind } = typeOf(object);
  const module = path.join(modelsDir, 'node_modules/kubernetes-models', group ?? '', version, `${kind}.js`);
  if (!existsSync(module)) return [`${file}: no schema for ${String(object.apiVersion)} ${kind}`];
  const exports = (await import(pathToFileURL(module).href)) as Record<string, new (data: Json) => { validate(): void }>;
  const Model = exports[kind];
  if (!Model) return [`${file}: no model ${kind} in ${module}`];
  try {
    new Model(object).validate();
    return [];
  } catch (error) {
    return [`${file}: ${kind} ${name(object)}: ${(error as Error).message}`];
  }
}

const LEAVES = new Set(['string', 'number', 'boolean', 'Date', 'any', 'object', 'IntOrString']);

async function strictProblems(clientDir: string, { file, object }: Manifest): Promise<string[]> {
  const { version, kind } = typeOf(object);
  const models = path.join(clientDir, 'node_modules/@kubernetes/client-node/dist/gen/models');
  const cache = new Map<string, Attribute[]>();
  const attributes = async (model: string): Promise<Attribute[] | undefined> => {
    const module = path.join(models, `${model}.js`);
    if (!existsSync(module)) return undefined;
    if (!cache.has(model)) {
      const exports = (await import(pathToFileURL(module).href)) as Record<string, { attributeTypeMap: Attribute[] }>;
      cache.set(model, exports[model]?.attributeTypeMap ?? []);
    }
    return cache.get(model);
  };
  const problems: string[] = [];
  const walk = async (value: unknown, type: string, at: string): Promise<void> => {
    if (value === null || value === undefined || LEAVES.has(type)) return;
    const array = /^Array<(.+)>$/.exec(type);
    if (array) {
      if (Array.isArray(value)) for (const [i, item] of value.entries()) await walk(item, array[1] as string, `${at}[${i}]`);
      return;
    }
    const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
    if (map) {
      if (isObject(value)) for (const [key, item] of Object.entries(value)) await walk(item, map[1] as string, `${at}.${key}`);
      return;
    }
    const known = await attributes(type);
    if (!known) {
      problems.push(`${file}: ${at}: no model ${type} to check against`);
      return;
    }
    if (!isObject(value)) return; // a wrong type is the schema check's finding
    for (const [key, item] of Object.entries(value)) {
      const attribute = known.find((a) => a.baseName === key);
      if (attribute) await walk(item, attribute.type, `${at}.${key}`);
      else problems.push(`${file}: ${kind} ${name(object)}: unknown field ${at}.${key}`);
    }
  };
  await walk(object, `V${version.slice(1)}${kind}`, kind);
  return problems;
}

/** The hardening promised by the feature, and the references between the objects. */
function policyProblems(project: string, manifests: Manifest[], kustomization: Json, root: string): string[] {
  const problems: string[] = [];
  const expect = (ok: unknown, message: string): void => {
    if (!ok) problems.push(message);
  };
  const of = (kind: string) => manifests.filter((m) => m.object.kind === kind).map((m) => m.object);
  const [deployment, ...extraDeployments] = of('Deployment');
  expect(deployment && extraDeployments.length === 0, 'exactly one Deployment');
  if (!deployment) return problems;

  const spec = obj(deployment.spec);
  const template = obj(spec.template);
  const podLabels = obj(obj(template.metadata).labels);
  const pod = obj(template.spec);
  const podSecurity = obj(pod.securityContext);
  const containers = arr(pod.containers).map(obj);
  const deploymentName = name(deployment);

  expect(num(spec.replicas) >= 2, 'Deployment: at least 2 replicas');
  expect(matches(obj(obj(spec.selector).matchLabels), podLabels), 'Deployment: the selector matches the pod labels');
  expect(pod.automountServiceAccountToken === false, 'pod: automountServiceAccountToken: false (the API never calls the Kubernetes API)');
  expect(podSecurity.runAsNonRoot === true, 'pod: securityContext.runAsNonRoot: true');
  expect(obj(podSecurity.seccompProfile).type === 'RuntimeDefault', 'pod: securityContext.seccompProfile.type: RuntimeDefault');
  expect(containers.length > 0, 'pod: at least one container');

  const delay = shutdownDelaySeconds(project, manifests);
  for (const container of containers) {
    const label = `container ${String(container.name)}`;
    const security = obj(container.securityContext);
    expect(security.readOnlyRootFilesystem === true, `${label}: securityContext.readOnlyRootFilesystem: true`);
    expect(security.allowPrivilegeEscalation === false, `${label}: securityContext.allowPrivilegeEscalation: false`);
    expect(security.privileged !== true, `${label}: not privileged`);
    expect(arr(obj(security.capabilities).drop).includes('ALL'), `${label}: securityContext.capabilities.drop: [ALL]`);
    expect(arr(obj(security.capabilities).add).length === 0, `${label}: no capability added`);
    expect((security.runAsNonRoot ?? podSecurity.runAsNonRoot) === true, `${label}: runs as non-root`);
    expect(
      num(security.runAsUser ?? podSecurity.runAsUser) > 0,
      `${label}: a non-zero runAsUser (an image whose USER is a name cannot be checked)`,
    );
    const seccomp = obj(security.seccompProfile ?? podSecurity.seccompProfile).type;
    expect(seccomp === 'RuntimeDefault', `${label}: seccomp RuntimeDefault`);

    const resources = obj(container.resources);
    expect(obj(resources.requests).cpu && obj(resources.requests).memory, `${label}: cpu and memory requests`);
    expect(obj(resources.limits).memory, `${label}: a memory limit`);

    const ports = arr(container.ports).map(obj);
    const portNames = new Set(ports.map((p) => p.name));
    const probe = (key: string, route: string): void => {
      const get = obj(obj(container[key]).httpGet);
      expect(get.path === route, `${label}: ${key} on GET ${route}`);
      expect(portNames.has(get.port) || ports.some((p) => p.containerPort === get.port), `${label}: ${key} on a declared port`);
    };
    probe('livenessProbe', '/health/live');
    probe('readinessProbe', '/health/ready');

    const preStop = obj(obj(container.lifecycle).preStop);
    const pause = num(obj(preStop.sleep).seconds);
    expect(pause > 0, `${label}: a preStop pause, so endpoints are removed before the API stops accepting connections`);
    const grace = num(pod.terminationGracePeriodSeconds);
    expect(
      grace > pause + delay,
      `pod: terminationGracePeriodSeconds (${grace}) above the preStop pause (${pause}) + the API's shutdown delay (${delay} s)`,
    );
    expect(String(container.image).length > 0 && !String(container.image).endsWith(':latest'), `${label}: an image that is not :latest`);

    for (const source of arr(container.envFrom).map(obj)) {
      const configMap = obj(source.configMapRef).name;
      const secret = obj(source.secretRef).name;
      if (configMap)
        expect(
          of('ConfigMap').some((c) => name(c) === configMap),
          `${label}: envFrom ConfigMap ${String(configMap)} exists`,
        );
      if (secret)
        expect(
          of('Secret').some((s) => name(s) === secret),
          `${label}: envFrom Secret ${String(secret)} has an example`,
        );
    }
  }
  const volumes = new Set(arr(pod.volumes).map((v) => obj(v).name));
  for (const container of containers) {
    for (const mount of arr(container.volumeMounts).map(obj)) expect(volumes.has(mount.name), `volume ${String(mount.name)} is declared`);
  }

  const containerPorts = containers.flatMap((c) => arr(c.ports).map(obj));
  for (const service of of('Service')) {
    const serviceSpec = obj(service.spec);
    expect(matches(obj(serviceSpec.selector), podLabels), `Service ${name(service)}: the selector matches the pod labels`);
    expect(
      serviceSpec.type === undefined || serviceSpec.type === 'ClusterIP',
      `Service ${name(service)}: ClusterIP (exposed through an ingress)`,
    );
    for (const port of arr(serviceSpec.ports).map(obj)) {
      expect(
        containerPorts.some((p) => p.name === port.targetPort || p.containerPort === port.targetPort),
        `Service ${name(service)}: targetPort ${String(port.targetPort)} is a container port`,
      );
    }
  }
  const [hpa] = of('HorizontalPodAutoscaler');
  expect(hpa, 'a HorizontalPodAutoscaler');
  if (hpa) {
    const target = obj(obj(hpa.spec).scaleTargetRef);
    expect(target.kind === 'Deployment' && target.name === deploymentName, 'HorizontalPodAutoscaler: scales the Deployment');
    expect(num(obj(hpa.spec).minReplicas) >= 2, 'HorizontalPodAutoscaler: minReplicas >= 2');
  }
  const [pdb] = of('PodDisruptionBudget');
  expect(pdb, 'a PodDisruptionBudget');
  if (pdb) expect(matches(obj(obj(obj(pdb.spec).selector).matchLabels), podLabels), 'PodDisruptionBudget: selects the pods');
  const [policy] = of('NetworkPolicy');
  expect(policy, 'a NetworkPolicy');
  if (policy) {
    const policySpec = obj(policy.spec);
    expect(matches(obj(obj(policySpec.podSelector).matchLabels), podLabels), 'NetworkPolicy: selects the pods');
    const types = arr(policySpec.policyTypes);
    expect(types.includes('Ingress') && types.includes('Egress'), 'NetworkPolicy: restricts both Ingress and Egress');
  }

  const resources = arr(kustomization.resources).map(String);
  for (const resource of resources) expect(existsSync(path.join(root, resource)), `kustomization: resource ${resource} exists`);
  for (const file of new Set(manifests.map((m) => m.file))) {
    if (!file.includes('.example.')) expect(resources.includes(file), `kustomization: lists ${file}`);
    else expect(!resources.includes(file), `kustomization: does not apply the example ${file}`);
  }
  const images = arr(kustomization.images).map(obj);
  for (const container of containers) {
    const image = images.find((i) => i.name === container.image);
    expect(image?.newTag || image?.digest, `kustomization: pins the tag or digest of image ${String(container.image)}`);
  }
  return problems;
}

/** The API's shutdown grace in seconds: SHUTDOWN_GRACE_MS from the ConfigMap, else its default in src/config.ts. */
function shutdownDelaySeconds(project: string, manifests: Manifest[]): number {
  const configured = manifests
    .filter((m) => m.object.kind === 'ConfigMap')
    .map((m) => obj(m.object.data).SHUTDOWN_GRACE_MS)
    .find((v) => v !== undefined);
  if (configured !== undefined) return Number(configured) / 1000;
  const config = readFileSync(path.join(project, 'src/config.ts'), 'utf8');
  const match = /SHUTDOWN_GRACE_MS:[^\n]*?default:\s*([\d_]+)/.exec(config);
  if (!match) throw new Error('could not find SHUTDOWN_GRACE_MS and its default in src/config.ts');
  return Number((match[1] as string).replaceAll('_', '')) / 1000;
}

function typeOf(object: Json): { group: string | undefined; version: string; kind: string } {
  const apiVersion = String(object.apiVersion);
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : [undefined, apiVersion];
  return { group, version: version as string, kind: String(object.kind) };
}

function name(object: Json): string {
  return String(obj(object.metadata).name);
}

function matches(selector: Json, labels: Json): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([key, value]) => labels[key] === value);
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function obj(value: unknown): Json {
  return isObject(value) ? value : {};
}

function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function num(value: unknown): number {
  return typeof value === 'number' ? value : Number.NaN;
}
