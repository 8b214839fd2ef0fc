import type { CreateChoices } from '../commands/create.ts';
import { addedRequirements, presetFeatures, resolveFeatures } from '../engine/resolve.ts';
import { npmNameProblem } from '../engine/target.ts';
import { CancelledError } from '../errors.ts';
import { features as registry } from '../features/index.ts';
import { PRESETS, type Preset } from '../features/types.ts';
import { detectPackageManager, PACKAGE_MANAGERS } from '../post/package-manager.ts';
import { log } from './output.ts';

const PRESET_HELP: Record<Preset, string> = {
  minimal: 'the hardened base only',
  standard: 'base + auth, rbac, rate limiting, metrics, OpenAPI, Docker, CI (those available)',
  full: 'every feature',
};

/** Asks for every choice the flags did not give. Ctrl-C at any prompt cancels with nothing written. */
export async function askCreateChoices(given: Partial<CreateChoices>): Promise<Partial<CreateChoices>> {
  const { input, select, checkbox, confirm } = await import('@inquirer/prompts');
  try {
    const choices: Partial<CreateChoices> = { ...given };
    choices.directory ??= await input({
      message: 'Project name',
      default: 'my-api',
      validate: (value) => {
        const problem = npmNameProblem(value);
        return problem ? `Not a valid npm package name: ${problem}` : true;
      },
    });
    if (!choices.preset && !choices.extraFeatures) {
      const preset = await select<Preset>({
        message: 'Preset',
        default: 'standard',
        choices: PRESETS.map((p) => ({ value: p, name: p, description: PRESET_HELP[p] })),
      });
      if (registry.length > 0) {
        const picked = await checkbox({
          message: 'Features (space to toggle)',
          choices: registry.map((f) => ({
            value: f.id,
            name: `${f.id} - ${f.description}`,
            checked: presetFeatures(preset, registry).includes(f.id),
          })),
        });
        for (const { added, by } of addedRequirements(picked, resolveFeatures(picked, registry)))
          log.info(`Added ${added} (required by ${by}).`);
        choices.preset = 'minimal';
        choices.extraFeatures = picked;
      } else {
        choices.preset = preset;
      }
    }
    const selected = resolveFeatures(
      [...presetFeatures(choices.preset ?? 'standard', registry), ...(choices.extraFeatures ?? [])],
      registry,
    );
    const options = { ...(choices.options ?? {}) };
    for (const feature of selected) {
      const option = feature.option;
      if (!option || options[feature.id]) continue;
      options[feature.id] = await checkbox({
        message: option.message,
        required: option.required,
        choices: option.choices.map((c) => ({
          value: c.value,
          name: `${c.value} - ${c.description}`,
          checked: option.defaults.includes(c.value),
        })),
      });
    }
    choices.options = options;
    choices.pm ??= await select({
      message: 'Package manager',
      default: detectPackageManager(),
      choices: PACKAGE_MANAGERS.map((pm) => ({ value: pm, name: pm })),
    });
    choices.install ??= await confirm({ message: 'Install dependencies now?', default: true });
    choices.git ??= await confirm({ message: 'Initialize a git repository?', default: true });
    return choices;
  } catch (error) {
    if (error instanceof Error && error.name === 'ExitPromptError') throw new CancelledError();
    throw error;
  }
}
