export { deliveryFromEnv, notifierFromEnv } from './env';
export { FileDelivery, FileNotifier } from './file';
export { postToWebhook, SlackNotifier, SlackWebhookDelivery, toSlackMrkdwn, type WebhookOptions } from './slack';
export { SmtpDelivery, type SmtpSettings } from './smtp';
export { DeliveryError, type DeliveryReceipt, type NoticeDelivery, type Notifier, type Recipient } from './types';
