/** GET /api/v1/alerts: the open alerts and those resolved recently. */

import type { Router } from 'express';
import type { AlertsService } from '../../services/alerts.js';
import { alertRoutes } from '../contract/alerts.js';
import { jsonRoute } from '../route.js';

export function mountAlertRoutes(router: Router, alerts: AlertsService): void {
  jsonRoute(router, alertRoutes.alerts, (q) => alerts.list(q));
}
