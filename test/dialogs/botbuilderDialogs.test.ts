import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as index from 'botbuilder-dialogs';
import * as ours from '../../dialogs/botbuilderDialogs';

describe('botbuilder-dialogs, imported from its own modules', () => {
  it('are the very classes the package exports', () => {
    for (const name of ['ComponentDialog', 'Dialog', 'DialogTurnStatus', 'DialogContext', 'DialogSet', 'WaterfallDialog', 'WaterfallStepContext'] as const) {
      assert.equal(ours[name], index[name], name);
    }
  });

  it('the bot does not load the prompts’ text recognizers', function () {
    this.timeout(30_000);
    const out = execFileSync(process.execPath, ['--require', 'tsx/cjs', '-e', "require('./bot/app'); console.log(Object.keys(require.cache).filter((k) => /recognizers-text-(suite|number|date-time|choice|sequence)/.test(k)).length)"], { encoding: 'utf8' });
    assert.equal(out.trim(), '0');
  });
});
