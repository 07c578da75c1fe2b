/** The local causes: failures this server caused itself (its disk, resolver, configuration, content filter). */

import type { CauseInfo } from './causes.js';
import type { LocalCause } from './types.js';

const NOT_DEAD = 'This says nothing about the recipient: never suppress an address for it.';

export const LOCAL_CAUSE_INFO: Readonly<Record<LocalCause, CauseInfo>> = {
  'local-disk': {
    cause: 'local-disk',
    title: 'Our disk or queue is full',
    meaning:
      "This server ran out of disk or queue space (Postfix's own 452 4.3.1 beside its warning that the queue has not enough free space).",
    side: 'local',
    action:
      'Free space on the queue file system (`df -h /var/spool/postfix`, or the Exim spool), find what filled it (logs, a mail loop, a stuck queue), and watch the queue drain with `mailq`. Postfix refuses mail while free space is under queue_minfree. ' +
      NOT_DEAD,
    whenTemporary: 'Mail waits in the queue, or at the sending client, until space is back.',
    whenPermanent: 'Messages were returned because of our own disk: resend them once space is back.',
    inboundAction:
      'We refused mail because our own disk or queue was full. Free space now: the clients retry, and nothing was their fault.',
  },
  'local-dns': {
    cause: 'local-dns',
    title: 'Our resolver failed',
    meaning:
      "This server's DNS resolver failed for a domain that resolves (other mail to it went through in the same period).",
    side: 'local',
    action:
      'Check the resolver this server uses (`/etc/resolv.conf`, a local unbound or systemd-resolved): `dig MX <domain>` from the host, against the same server. A chrooted Postfix needs its own copy of resolv.conf. ' +
      NOT_DEAD,
    whenTemporary: 'The MTA retries; the messages go out once lookups work again.',
    whenPermanent: 'Messages were returned because of our own lookups: resend them once the resolver works.',
    inboundAction:
      'Our own DNS lookups failed while checking the client, so we refused or deferred it. Fix the resolver; the client is not at fault.',
  },
  'local-config': {
    cause: 'local-config',
    title: 'Our routing, TLS or table configuration',
    meaning:
      "This server's own configuration stopped the delivery: a domain routed back to itself, a transport or lookup table that is missing, or its TLS setup.",
    side: 'local',
    action:
      'Read the MTA log around the failure for the warning that names the file or setting. For "loops back to myself", add the domain to mydestination, virtual or relay domains, or fix its MX and transport; for a missing table, rebuild it (`postmap`) and check main.cf; for TLS, check the certificate and key files and `postconf -n | grep tls`. ' +
      NOT_DEAD,
    whenTemporary: 'Mail waits in the queue until the configuration is fixed (then run `postqueue -f`).',
    whenPermanent: 'Messages were returned because of our own configuration: resend them once it is fixed.',
    inboundAction:
      'Our own configuration made us refuse the client (a missing table, a routing loop or a TLS setting). Fix it; the client is not at fault.',
  },
  'local-filter': {
    cause: 'local-filter',
    title: 'Our content filter is down or refused',
    meaning:
      "This server's content filter or milter (amavis, rspamd, spamassassin on a loopback port) did not accept the hand-over.",
    side: 'local',
    action:
      'Check that the filter runs and listens where the MTA hands mail to it (`ss -ltnp | grep 10024` for amavis), read its log, and restart it. Postfix holds the mail meanwhile; `postqueue -f` sends it on once the filter is back. ' +
      NOT_DEAD,
    whenTemporary: 'Mail waits in our queue until the filter answers again.',
    whenPermanent:
      'Messages were returned because our filter refused them: check its verdicts before resending.',
    inboundAction:
      'Our content filter failed while receiving the message, so we deferred or refused it. Restart the filter; the client is not at fault.',
  },
};
