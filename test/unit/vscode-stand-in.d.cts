export function installVscodeStandIn(overrides?: Record<string, Record<string, unknown>>): {
  vscode: Record<string, unknown>;
  make(): unknown;
  restore(): void;
};
