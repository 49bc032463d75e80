// Catalog requests and the change notification.
import { z } from 'zod';
import type { FeatureContext } from '../lsp/context';
import { parseParams } from '../lsp/params';
import { CatalogQuerySchema } from '../protocol/model';
import {
  CatalogChangedNotification,
  CatalogGroupsRequest,
  CatalogRequest,
  ModelRequest,
  RefreshCatalogRequest,
  TestGatewayRequest,
} from '../protocol/messages';
import { GatewayConfigSchema } from '../protocol/settings';
import { testGateway } from './test-gateway';

const GroupsParams = z.object({ groupBy: z.enum(['provider', 'gateway']), query: z.optional(CatalogQuerySchema) });
const TestGatewayParams = z.object({ gateway: GatewayConfigSchema, key: z.string().optional() });

export function registerCatalogHandlers({ connection, app, disposables }: FeatureContext): void {
  const { catalog } = app;
  connection.onRequest(CatalogRequest, (p) => catalog.query(parseParams(CatalogQuerySchema, p ?? {})));
  connection.onRequest(CatalogGroupsRequest, (p) => {
    const { groupBy, query } = parseParams(GroupsParams, p);
    return catalog.groups(groupBy, query);
  });
  connection.onRequest(ModelRequest, (p) => catalog.find(parseParams(z.object({ id: z.string() }), p).id) ?? null);
  connection.onRequest(RefreshCatalogRequest, (p) =>
    catalog.refresh(parseParams(z.object({ gateway: z.string().optional() }), p ?? {}).gateway),
  );
  connection.onRequest(TestGatewayRequest, async (p, token) => {
    const params = parseParams(TestGatewayParams, p);
    const ctrl = new AbortController();
    const sub = token.onCancellationRequested(() => ctrl.abort());
    try {
      return await testGateway(params, { dispatcher: app.dispatcher, keys: app.options.keys, log: app.options.log }, ctrl.signal);
    } finally {
      sub.dispose();
    }
  });
  const notify = () =>
    void connection.sendNotification(CatalogChangedNotification, {
      version: catalog.version,
      source: catalog.source,
      total: catalog.all().length,
      statuses: catalog.statuses(),
      refreshing: catalog.statuses().some((s) => s.state === 'loading'),
    });
  disposables.push(catalog.onDidChange(notify));
}
