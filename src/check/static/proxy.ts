import { Node } from 'ts-morph';
import { appInstances, isExpressApp } from '../apps.ts';
import { findingAt, methodCalls, property, propertyNode, staticValue } from '../code.ts';
import type { ProjectFiles } from '../project.ts';
import type { Finding, Rule, StaticCheck } from '../types.ts';

export const trustAll: Rule = {
  id: 'proxy.trust-all',
  severity: 'medium',
  title: 'Every proxy is trusted',
  why: 'Trusting X-Forwarded-For from any peer lets every client choose its own IP address: per-IP rate limits, allowlists and audit logs can be bypassed or forged (express-rate-limit refuses this setting).',
  owasp: 'API4:2023 Unrestricted Resource Consumption',
  checklist: [42],
  remedy:
    "Trust only your reverse proxy's address or network: trustProxy: ['10.0.0.0/8'] (Fastify), app.set('trust proxy', 'loopback, 10.0.0.0/8') (Express).",
};

export const proxy: StaticCheck = {
  rules: [trustAll],
  async run(project: ProjectFiles): Promise<Finding[]> {
    const sources = await project.sources();
    const findings: Finding[] = [];
    for (const app of appInstances(sources)) {
      const value = property(app.options, 'trustProxy');
      if (value && staticValue(value) === true) {
        findings.push(findingAt(trustAll, propertyNode(app.options, 'trustProxy') ?? value, 'trustProxy: true'));
      }
    }
    if (!project.dependsOn('express')) return findings;
    for (const source of sources) {
      for (const call of methodCalls(source, 'set', 'enable')) {
        const [name, value] = call.getArguments();
        const callee = call.getExpression();
        if (staticValue(name) !== 'trust proxy' || !Node.isPropertyAccessExpression(callee) || !isExpressApp(callee.getExpression()))
          continue;
        const enabled = call.getExpression().getText().endsWith('enable') || staticValue(value) === true;
        if (enabled) findings.push(findingAt(trustAll, call));
      }
    }
    return findings;
  },
};
