import { defineFeature } from './define.ts';

export const k8s = defineFeature({
  id: 'k8s',
  title: 'Kubernetes',
  description:
    'Kustomize manifests: hardened Deployment (non-root, read-only, no capabilities), Service, autoscaler, disruption budget, network policy',
  unsupportedForeign: 'not yet adapted to projects we did not generate.',
  presets: ['full'],
});
