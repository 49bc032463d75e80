/** SecretStorage key for a gateway's API key. Keys never go to settings, logs or the webview. */
export function secretKeyName(gatewayId: string): string {
  return `switchyard.apiKey.${gatewayId}`;
}
