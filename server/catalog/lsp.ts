// Catalog requests and the change notification.
import type { FeatureContext } from '../lsp/context';
import { onRequest } from '../lsp/params';
import { CatalogQuerySchema } from '../protocol/model';
import {
  CatalogChangedNotification,
  CatalogGroupsParamsSchema,
  CatalogGroupsRequest,
  CatalogRequest,
  ModelParamsSchema,
  ModelRequest,
  RefreshCatalogParamsSchema,
  RefreshCatalogRequest,
  TestGatewayParamsSchema,
  TestGatewayRequest,
} from '../protocol/messages';
import { testGateway } from './test-gateway';

export function registerCatalogHandlers({ connection, app, disposables }: FeatureContext): void {
  const { catalog } = app;
  onRequest(connection, CatalogRequest, CatalogQuerySchema, (q) => catalog.query(q));
  onRequest(connection, CatalogGroupsRequest, CatalogGroupsParamsSchema, ({ groupBy, query }) => catalog.groups(groupBy, query));
  onRequest(connection, ModelRequest, ModelParamsSchema, ({ id }) => catalog.find(id) ?? null);
  onRequest(connection, RefreshCatalogRequest, RefreshCatalogParamsSchema, ({ gateway }) => catalog.refresh(gateway));
  onRequest(connection, TestGatewayRequest, TestGatewayParamsSchema, async (params, token) => {
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
