// @ts-check
// A new integrated terminal has OPENAI_BASE_URL / OPENAI_API_KEY pointing at the local proxy (set by the
// extension through environmentVariableCollection) and reaches it: GET /v1/models answers 200 with a list.
// The proxy runs inside the language server (switchyard.proxy.port 0 in the e2e profiles: any free port).
// Needs `curl` on the machine (Debian images have it).
import { openTerminal, runInTerminal, statusBarItem } from '../lib/workbench.mjs';

export default {
  name: 'a new terminal has OPENAI_BASE_URL and reaches the proxy',
  profile: 'fakes',
  timeoutMs: 120_000,

  async run({ page, log, shot }) {
    // A terminal opened before the extension set its environment would need a relaunch: wait until the
    // status item has left its "starting the language server" state (the proxy runs in the server).
    const status = statusBarItem(page, { id: 'switchyard.switchyard.switchyard.status' });
    await status.locator('a:not([aria-label*="starting"])').first().waitFor({ timeout: 60_000 });
    await openTerminal(page);
    // Short output lines only: the terminal wraps long ones, which would split what the checks look for.
    await runInTerminal(page, 'echo "BASE=$OPENAI_BASE_URL KEYLEN=${#OPENAI_API_KEY}"', {
      expect: /BASE=http:\/\/127\.0\.0\.1:\d+\/v1 KEYLEN=[1-9]\d*/,
    });
    const text = await runInTerminal(
      page,
      'curl -s -o models.json -w "HTTP=%{http_code}\\n" -H "Authorization: Bearer $OPENAI_API_KEY" "$OPENAI_BASE_URL/models"; ' +
        'grep -o \'"object":"list"\' models.json; echo "MODELS=$(grep -o \'"object":"model"\' models.json | wc -l)"',
      { expect: /HTTP=200\n"object":"list"\nMODELS=[1-9]\d*/ },
    );
    log(`terminal: ${text.split('\n').filter((l) => /^(BASE|HTTP|MODELS)=/.test(l)).join(' / ')}`);
    await shot('terminal');
  },
};
