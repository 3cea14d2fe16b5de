import { z } from 'zod';
import {
  emailBody,
  markReadBody,
  notificationListQuery,
  preferencesBody,
  webhookTargetBody,
  type NotificationService,
} from '../../services/notifications';
import { operation } from '../operation';
import {
  NotificationDeliveries,
  NotificationPage,
  NotificationPreferences,
  NotificationsMarked,
  UserEmail,
  WebhookTarget,
  errorResponses,
} from '../schemas';

const idParams = z.object({ id: z.string().min(1).max(100) });

/** In-app notifications and preferences for everyone; email addresses, webhooks and the delivery log for administrators. */
export function notificationOperations(notifications: NotificationService) {
  return [
    operation({
      method: 'get',
      path: '/notifications',
      operationId: 'listNotifications',
      summary: 'My notifications, newest first, with the unread count',
      tags: ['notifications'],
      query: notificationListQuery,
      responses: { 200: { description: 'a page of notifications', schema: NotificationPage }, ...errorResponses(400, 401) },
      async handler({ caller, query }) {
        return { body: await notifications.list(caller, query) };
      },
    }),
    operation({
      method: 'post',
      path: '/notifications/read',
      operationId: 'markNotificationsRead',
      summary: 'Mark some of my notifications ({"ids": [...]}) or all of them ({"all": true}) read',
      tags: ['notifications'],
      body: markReadBody,
      responses: {
        200: { description: 'how many were marked, and the unread count', schema: NotificationsMarked },
        ...errorResponses(400, 401, 415),
      },
      async handler({ caller, body }) {
        return { body: await notifications.markRead(caller, body) };
      },
    }),
    operation({
      method: 'get',
      path: '/me/notification-preferences',
      operationId: 'getNotificationPreferences',
      summary: 'My notification channels',
      tags: ['notifications'],
      responses: {
        200: { description: 'in-app and email on or off, and kinds not sent by email', schema: NotificationPreferences },
        ...errorResponses(401),
      },
      async handler({ caller }) {
        return { body: await notifications.preferences(caller) };
      },
    }),
    operation({
      method: 'put',
      path: '/me/notification-preferences',
      operationId: 'setNotificationPreferences',
      summary: 'Set my notification channels',
      tags: ['notifications'],
      body: preferencesBody,
      responses: { 200: { description: 'the preferences now', schema: NotificationPreferences }, ...errorResponses(400, 401, 415) },
      async handler({ caller, body }) {
        return { body: await notifications.setPreferences(caller, body) };
      },
    }),
    operation({
      method: 'put',
      path: '/admin/users/:id/email',
      operationId: 'setUserEmail',
      summary: "Set a user's email address for notifications (administrators; null removes it)",
      tags: ['notifications'],
      params: idParams,
      body: emailBody,
      responses: { 200: { description: 'the address now', schema: UserEmail }, ...errorResponses(400, 401, 403, 404, 415) },
      async handler({ caller, params, body }) {
        return { body: await notifications.setEmail(caller, params.id, body.email) };
      },
    }),
    operation({
      method: 'get',
      path: '/admin/webhook-targets',
      operationId: 'listWebhookTargets',
      summary: 'The webhook targets (administrators; secrets are never answered)',
      tags: ['notifications'],
      responses: { 200: { description: 'every target', schema: z.array(WebhookTarget) }, ...errorResponses(401, 403) },
      async handler({ caller }) {
        return { body: await notifications.webhookTargets(caller) };
      },
    }),
    operation({
      method: 'put',
      path: '/admin/webhook-targets/:id',
      operationId: 'putWebhookTarget',
      summary: 'Create or replace a webhook target: signed JSON, or a DingTalk / WeCom group robot (administrators)',
      tags: ['notifications'],
      params: idParams,
      body: webhookTargetBody,
      responses: { 200: { description: 'the target', schema: WebhookTarget }, ...errorResponses(400, 401, 403, 415) },
      async handler({ caller, params, body }) {
        return { body: await notifications.putWebhookTarget(caller, params.id, body) };
      },
    }),
    operation({
      method: 'delete',
      path: '/admin/webhook-targets/:id',
      operationId: 'deleteWebhookTarget',
      summary: 'Remove a webhook target and its undelivered deliveries (administrators)',
      tags: ['notifications'],
      params: idParams,
      responses: { 204: { description: 'removed' }, ...errorResponses(401, 403, 404) },
      async handler({ caller, params }) {
        await notifications.deleteWebhookTarget(caller, params.id);
        return { status: 204 };
      },
    }),
    operation({
      method: 'get',
      path: '/admin/notification-deliveries',
      operationId: 'listNotificationDeliveries',
      summary: 'The delivery log of email and webhook notifications (administrators)',
      tags: ['notifications'],
      query: z.object({ caseId: z.string().min(1).max(100).optional(), channel: z.enum(['email', 'webhook']).optional() }),
      responses: {
        200: { description: 'deliveries with their attempts', schema: NotificationDeliveries },
        ...errorResponses(400, 401, 403),
      },
      async handler({ caller, query }) {
        return { body: await notifications.deliveries(caller, query) };
      },
    }),
  ];
}
