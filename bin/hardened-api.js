#!/usr/bin/env node
// The second name of the same command (`npx hardened-api add metrics`).
import './create-hardened-api.js';
