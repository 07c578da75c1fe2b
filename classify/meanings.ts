/**
 * What a reply says, as named meanings: each detects one condition (a mailbox that does not exist,
 * a disabled account, a full mailbox, a refused sender ...) in the words receivers use for it, in
 * several languages, and names the cause it points to. Tried in order, most specific first.
 */

import {
  type Near,
  DISABLED,
  FULL,
  GROUP,
  MAILBOX,
  near,
  NO_SUCH,
  NOT_EXIST,
  POST,
  REFUSED,
  SENDER,
  SPAM,
  vocab,
} from './lexicon.js';
import { splitTop } from './prefilter.js';
import type { Cause } from './types.js';

/** One way a meaning is written: a regex, and the regexes a text must match for it to have a chance. */
interface MeaningAlt {
  re: RegExp;
  /** Two ideas close together need both words; the dispatch checks these by literals first. */
  parts: readonly RegExp[];
}

export interface Meaning {
  /** Stable id, shown in `reason`. */
  id: string;
  /** What the meaning detects, in a few words (the reason's wording). */
  detects: string;
  cause: Cause;
  /** Every way of writing it, as one regex (for tests and tools). */
  re: RegExp;
  /** The same, one alternative at a time: only those whose words occur in a text are tried. */
  alts: readonly MeaningAlt[];
}

function altsOf(source: string | RegExp | Near): MeaningAlt[] {
  if (typeof source !== 'string' && 'parts' in source) {
    const [a, b] = source.parts;
    const pa = new RegExp(a, 'i');
    const pb = new RegExp(b, 'i');
    return splitTop(source.source).map((alt) => ({ re: new RegExp(alt, 'i'), parts: [pa, pb] }));
  }
  const src = typeof source === 'string' ? source : source.source;
  return splitTop(src).map((alt) => {
    const re = new RegExp(alt, 'i');
    return { re, parts: [re] };
  });
}

const m = (
  id: string,
  cause: Cause,
  detects: string,
  ...sources: readonly (string | RegExp | Near)[]
): Meaning => ({
  id,
  cause,
  detects,
  re: new RegExp(sources.map((s) => (typeof s === 'string' ? s : s.source)).join('|'), 'i'),
  alts: sources.flatMap(altsOf),
});

/** An account, mailbox or user (not a bare address: "address blocked" is rarely about the mailbox). */
const ACCOUNT = vocab(
  [
    'account',
    'mail ?box',
    'user',
    'recipient',
    'inbox',
    'e-?mail account',
    'Konto',
    'Postfach',
    'Benutzer',
    'compte',
    'boite',
    'boîte',
    'destinataire',
    'cuenta',
    'buz[oó]n',
    'conta',
    'caixa',
    'casella',
    'utente',
  ],
  [],
  ['ящик', 'аккаунт', 'учетн', 'пользовател', '帐号', '账号', '帳號', '邮箱', 'アカウント'],
);

/** Phrases that beat any code: when one of these is present, the text says what happened. */
export const STRONG_MEANINGS: readonly Meaning[] = [
  m(
    'greylisting',
    'greylisted',
    'a greylisting deferral',
    /gr[ae]y[- ]?list|postgrey|greylistd|liste grise|lista gris|not yet authori[sz]ed to deliver/,
  ),
  m(
    'local-delivery-failure',
    'remote-error',
    'the receiving system failed to write the mailbox or run its delivery program',
    /\b(?:procmail|maildrop)\b|(?:couldn't|can't|cannot|unable to) (?:create|open|write|lock)\b|insufficient permission|permission denied|No such file or directory|Command died|command output|Failed to read|x-unix|exit (?:code|status) \d|mailer error|pipe to \||child process of|non-zero status|terminated by signal|mailbox (?:is )?locked by/,
  ),
  m(
    'header-structure',
    'message-format',
    'headers that break the message format rules',
    /duplicate header|multiple .{0,20}\bFrom:? header|multiple addresses in From|RFC ?5322 section|not (?:RFC|rfc)[- ]?(?:2?822|5322)?[- ]?compliant|bare (?:LF|linefeed|CR|newline)s?\b/,
  ),
  m(
    'posting-refused',
    'sender-rejected',
    'a group or list that does not accept posts from this sender',
    near(GROUP, POST, 120, 24),
    /permission to post|not (?:allowed|permitted|authori[sz]ed) to post|posting (?:to this (?:group|list) )?(?:is )?(?:not allowed|restricted)|(?:only )?(?:members|subscribers) (?:can|may) (?:post|send)|(?:not a|non-?)member of (?:the |this )?(?:list|group)|moderated (?:list|group)|sender not pre-?approved/,
  ),
  m(
    'recipient-refuses-sender',
    'recipient-filtered',
    'a recipient or its filter that refuses this sender or message',
    /\bfiltered\b|recipient (?:has )?(?:blocked|refused) (?:you|your|the sender|this sender)|blocked by (?:the )?recipient|not accept(?:ing)? mail from you|on the recipient's (?:block|deny) ?list|only accepts? (?:mail|messages) from|recipient preferences|refuses? to (?:receive|accept) (?:your )?mail|(?:is )?not accepting any mail|recipient is not accepting|this account is protected|RESOLVER\.RST\.NotAuthorized|filter rules?\b|by (?:a |the )?(?:user|recipient)(?:'s)? (?:filter|rule)|受信拒否/,
  ),
  m(
    'listed-content',
    'spam-content',
    'a listed link or domain, or malware, in the message',
    /(?:black|block)?listed (?:url|link|domain in (?:the )?(?:message|body))|(?:url|link)s?\b.{0,40}\b(?:black|block)?listed|\buribl\b|\bsurbl\b|dbl\.spamhaus|\bDBL\b|\bvirus|malware|Spam\w{0,20}Signature/,
  ),
  m(
    'tls-failure',
    'tls',
    'TLS that was required or failed',
    /starttls|\bTLS\b|\bSSL\b|REQUIRETLS|encryption (?:is )?(?:required|needed)|certificate (?:verif|expired|has expired|not trusted|not verified|name|invalid|error|problem)|untrusted certificate|handshake|MTA-STS|\bDANE\b|secure connection/,
  ),
  m(
    'sender-authentication',
    'authentication',
    'SPF, DKIM or DMARC that failed or is missing',
    /\bSPF\b|\bDKIM\b|\bDMARC\b|DomainKeys|sender policy framework|unauthenticated (?:e-?mail|mail|message)|sender is unauthenticated|(?:fails?|failed|did not|does not|didn't) (?:to )?pass (?:authentication|SPF|DKIM|DMARC|sender auth)|authentication (?:checks?|results|information)|as (?:a )?permitted sender|not (?:a )?permitted sender|\bARC\b.{0,20}(?:valid|fail)|senders? to authenticate|is not allowed to send (?:mail )?from|not authori[sz]ed to send (?:mail )?(?:from|on behalf|as)|sender (?:domain )?(?:is )?not authenticated|spoof/,
  ),
  m(
    'smtp-auth-required',
    'auth-required',
    'a server that wants our client to log in',
    /auth(?:entication)? (?:is )?required|AuthRequired|must (?:be )?authenticated?|(?:turn on|enable|use) SMTP Auth|without (?:SMTP )?authentication|not authenticated|authentication (?:failed|credentials invalid|unsuccessful|mechanism)|invalid credentials|BadCredentials|username and password not accepted|unauthenticated (?:senders?|relay|users?|clients?)|SMTP AUTH|please (?:log ?in|authenticate)|authenticate first|authentication turned on|(?:don't|do not|didn't) authenticate|not logged in|log ?in first|anonymous mail/,
  ),
  m(
    'relay-refused',
    'relay-denied',
    'a server that will not relay for that domain',
    /relay(?:ing)? (?:access )?(?:is )?(?:denied|not (?:permitted|allowed|authori[sz]ed)|prohibited|refused|disallowed)|not (?:permitted|allowed|configured|authori[sz]ed) to relay|unable to relay|(?:we )?do(?:es)? not relay|relay access|no relaying|cannot relay|can't relay|relaying (?:mail )?(?:to|for)\b.{0,60}\b(?:not|denied)|identities failed the check|as a relay|not local host|isn't in my list of allowed rcpthosts|(?:don't|do not) handle mail for|specified domain is not allowed|not a gateway|open relay test|domain (?:is )?not (?:in my list of )?(?:allowed|served|local)|Relaisbetrieb|relais (?:refus|interdit)/,
  ),
  m(
    'named-blocklist',
    'reputation-blocklist',
    'a DNS blocklist or provider block list that lists our IP',
    /blocked using|\b(?:rbl|dnsbl)s?\b|\bAUP#\w*RBL|spamhaus|spamcop|barracudacentral|\bsorbs\b|uceprotect|spamrats|mailspike|cloudmark|\bS31[45]0\b|banned sending IP|dnsbl-lookup|ipcheck\.proofpoint|listed (?:in|on|at|by) (?:a |the |our )?\S*bl\b/,
  ),
  m(
    'policy-reasons',
    'policy',
    'a refusal for policy reasons',
    /(?:for|due to|by) (?:local |site |security )?polic(?:y|ies)(?: reasons)?\b|policy (?:violation|reasons|restriction)/,
  ),
  m(
    'sender-refused',
    'sender-rejected',
    'an envelope sender or sender domain the receiver refuses or cannot verify',
    near(SENDER, REFUSED, 50, 12),
    near(SENDER, NOT_EXIST, 40, 12),
    /(?:bad|invalid|unknown|unverified|unroutable|unrouteable|illegal|forged|rejected) sender\b|sender verif(?:y|ication) fail|(?:cached )?callout verification fail|domain of sender (?:address )?.{0,80}(?:does not exist|not found|not resolve|invalid)|(?:sending|from) (?:to\/from )?an address that has been (?:black|block)listed|(?:sender|from) address .{0,30}(?:black|block)listed|bad outbound sender|sender (?:address |domain )?(?:has|with) (?:a )?null MX|sender (?:address )?(?:domain )?must (?:exist|resolve)|\bbadmailfrom\b|null sender|empty (?:envelope )?sender|\bBATV\b|not a registered gateway user|mail from not owned|unsigned dsn|unauthori[sz]ed sender|sender not (?:allowed|authori[sz]ed|permitted)|(?:your|this) (?:e-?mail )?address (?:is|has been) (?:blocked|banned|not allowed)|not allowed to send (?:mail|messages|e-?mail) to/,
  ),
  m(
    'reverse-dns',
    'reverse-dns',
    'a missing or mismatched PTR record, or a bad HELO name',
    /reverse (?:dns|lookup|hostname|mapping|resolution)|\brDNS\b|\bPTR\b|cannot find your (?:reverse )?hostname|client host name|hostname (?:does not|doesn't|did not) (?:match|resolve)|(?:does not|doesn't) resolve to your|unverifi?y?able sending IP|mismatches client ip|(?:HELO|EHLO)(?: command| name| hostname)? (?:rejected|invalid|not (?:valid|allowed|accepted|fqdn))|(?:bad|invalid|forged|illegal|unknown) (?:HELO|EHLO)|my name was rejected|rejected (?:HELO|EHLO)\b|need fully[- ]qualified (?:host ?name|HELO)|not (?:a )?fully[- ]qualified (?:host|domain)|generic (?:hostname|rdns)|ip name lookup failed|(?:cannot|can't|unable to|could not) resolve your (?:host ?name|ip|address)|your (?:host ?name|ip address) (?:does not|doesn't|did not) resolve|unresolvable relay host|no matches to nameserver query|no (?:valid )?hostname/,
  ),
  m(
    'ip-reputation',
    'reputation-blocklist',
    'our IP or domain being blocked for its reputation or for mail its users complained about',
    /unusual (?:rate|volume) of (?:unsolicited|spam)|blocked using|\b(?:rbl|dnsbl)s?\b|\bRBL\w*|black ?list(?:ed)?|block ?list(?:ed)?|listed (?:in|on|at|by) (?:a |the |our )?\S*bl\b|barracuda(?:central)?|\bS31[45]0\b|banned sender|part of their network|(?:weren't|were not) sent|too many unwanted|(?:poor|low|bad) reputation|reputation (?:of|is)|(?:ip|sender|domain) reputation|due to (?:ip |domain )?reputation|blocked for (?:abuse|spam)|(?:ip|client|host|mail ?server)(?: address)? (?:\S+ )?(?:is |has been |was )?(?:blocked|banned|block ?listed)|adresse ip .{0,30}bloqu|client host (?:\S+ )?(?:blocked|rejected)|traffic not accepted from this IP|may not be mail exchanger|smtp server of your (?:ISP|provider)|dynamic(?:ally assigned)? (?:ip|address|pool|range)|residential|dial-?up|end-user (?:ip|address)|on our (?:local )?(?:block|deny) ?list|ip address (?:\S+ )?(?:is |has been )?(?:listed|blocked)|spam source|known spammer|not (?:currently )?accepting mail from your ip|you are not allowed to connect|no access from mail server|ip (?:address )?(?:declined|banned)|suspiciously like (?:a )?spammer|dynamic\/zombied|too many spams from|(?:refused|rejected|blocked) - see https?:|open proxy|host not authori[sz]ed|(?:was|is) blocked by\b|bad sender ip|not authori[sz]ed to send (?:e-?mail|mail) directly|use the smtp relay (?:at|of) your|user complaints|(?:volume|number|rate|level) of (?:spam |user )?complaints|complaints? (?:about|regarding|on) (?:the )?(?:mail|messages|e-?mails?) (?:from|sent)/,
  ),
  m(
    'sending-too-fast',
    'rate-limited',
    'too many messages, recipients or connections in too short a time',
    /rate limit|rate-limit|ratelimit|too many (?:connections|concurrent|messages(?! (?:on the server|in (?:the |your |his |her )?(?:mail ?box|folder|inbox)))|mails|e-?mails|recipients|sessions|simultaneous|requests|errors|invalid recipients|unknown recipients|deliveries)|too fast|too quickly|at a rate|frequency limit|(?:connection|message|sending|submission|receiving|delivery) rate|exceeded (?:the )?(?:maximum |allowed )?(?:number of )?(?:connections|messages|recipients|rate)|throttl|slow down|unexpected volume|excessive volume|(?:hourly|daily) (?:message |sending |receive )?(?:limit|quota)|temporarily deferred due to|mail flood|too much mail|(?:connection|session) limit|limit (?:on|of) (?:connections|messages)|concurrency|slower|trop de connexions|zu viele (?:Verbindungen|Nachrichten)|demasiadas conexiones|max(?:imum)? (?:e-?mails|messages) per (?:hour|day|minute)|max(?:imum)? (?:number of )?(?:messages?|mails?|recipients?) per (?:connection|session)|(?:message|recipient|connection) limit (?:reached|exceeded)/,
  ),
  m(
    'retry-shortly',
    'greylisted',
    'a request to come back in a few minutes, with no other reason given (how greylisting servers word it)',
    /come back later|try again in \d+ (?:seconds|minutes)\b/,
  ),
  m(
    'mailbox-over-quota',
    'mailbox-full',
    'a mailbox over its storage quota',
    near(
      vocab(
        [
          'mail ?box',
          'inbox',
          'account',
          'user',
          'recipient',
          'folder',
          'Postfach',
          'Benutzer',
          'boite',
          'boîte',
          'buz[oó]n',
          'casella',
          'caixa',
        ],
        [],
        ['ящик', '邮箱', '郵箱', 'メールボックス'],
      ),
      FULL,
      30,
      12,
    ),
    /over ?quota|quota (?:exceeded|exceed|full|reached)|exceed(?:ed|s)? (?:the |his |her |their |its )?(?:storage|quota|mailbox (?:size|limit|quota))|out of storage|storage (?:quota|space|limit|allocation)|insufficient (?:user )?quota|number of messages in .{0,40}exceeded|disk quota|user (?:has )?exceeded|mailbox has exceeded|OverQuota|at capacity|mailbox size|space has been used up|too many messages on the server|would exceed (?:the )?(?:maximum )?(?:allowed )?storage|not enough (?:disk |storage )?space in|Speichervolumen|Speicherplatz (?:des Kontos )?(?:ist )?(?:ü|ue)berschritten|zu ?viele (?:Mails|Nachrichten) auf dem Server|quota d[eé]pass[eé]|cuota (?:excedida|superada)|превышен|容量(?:オーバー|超過)/,
  ),
  m(
    'spam-verdict',
    'spam-content',
    'a content filter that judged the message spam or malware',
    near(
      SPAM,
      vocab(
        [
          'detected',
          'rejected',
          'blocked',
          'refused',
          'suspicion',
          'classified',
          'considered',
          'identified',
          'marked',
          'treated',
          'flagged',
          'looks? like',
          'content',
          'abgelehnt',
          'erkannt',
          'eingestuft',
        ],
        ['suspect', 'scor', 'rejet', 'consid[eé]r', 'rechaz', 'detectad'],
        ['отклонен', 'распознан', '判定'],
      ),
      30,
      20,
    ),
  ),
  m(
    'account-disabled',
    'mailbox-disabled',
    'an account that exists but is disabled, suspended or inactive',
    near(ACCOUNT, DISABLED, 30, 12),
    /no longer in use|compte .{0,30}bloqu|(?:account|mailbox|user) (?:is |has been )?blocked|inactive (?:user|account)|account .{0,20}(?:disabled|discontinued)|not an active (?:user|account|mailbox)|account (?:has )?expired/,
  ),
  // Temporary DNS trouble must win over the "host not found" wording of the domain meaning.
  m(
    'dns-temporary',
    'network',
    'a DNS lookup that failed for now',
    /(?:name service error|DNS|lookup|name ?server|resolv)\b.{0,80}(?:try again|temporar|SERVFAIL|timed? ?out|malformed|unexpected)|host name lookup failure|temporary (?:DNS|lookup|name resolution) failure|SERVFAIL|malformed (?:or unexpected )?name ?server reply/,
  ),
  m(
    'domain-does-not-exist',
    'domain-invalid',
    'a recipient domain that does not exist or accepts no mail',
    /host (?:or domain name )?not found|non-?existent (?:domain|hosts?)|NonExistentDomain|point to non-?existent|(?:host|domain) \S+ (?:not found|does not exist)|domain (?:name )?not found|(?:domain|host) (?:name )?(?:may|might) not exist|(?:domain|host) (?:name )?(?:does not|doesn't) exist|no such domain|unknown host|host unknown|\bNXDOMAIN\b|null MX|(?:does not|doesn't|not) (?:accept|receive) (?:e-?)?mail|no MX (?:record )?(?:found|for)|(?:couldn't|could not|unable to|can't|cannot) find (?:a |any )?mail exchanger|MX or SRV record|no SMTP service|domain is not reachable|unrouteable (?:address|domain|mail domain)|no (?:valid )?(?:MX|mail exchanger)|bad destination system|invalid (?:recipient )?domain|domain (?:has )?expired|had no relevant answers|name or service not known|couldn't find any host|unknown domain|no such host|domain must exist|domain (?:is )?(?:not (?:valid|registered)|unknown|invalid)|Domain (?:existiert nicht|unbekannt)|domaine (?:inconnu|inexistant)|dominio (?:inexistente|desconocido|no existe)|домен не существует/,
  ),
  m(
    'mailbox-does-not-exist',
    'recipient-unknown',
    'a recipient mailbox or user that does not exist',
    near(MAILBOX, NOT_EXIST, 40, 20),
    NO_SUCH,
    /RecipNotFound|RecipientNotFound|unknown or illegal|not listed in (?:the )?(?:\w+ )?(?:directory|address book)|name & address book|no valid recipients|invalid final delivery|no longer on (?:this )?server|has moved|address rejected|mailbox unavailable|does not exist|(?:user|mailbox) (?:lookup )?failed|recipients? (?:was |were )?rejected|not a known user|no (?:account|mailbox|one) (?:by that name|at this address|available for this user|found)|archived recipient|no longer accepts mail|recipient is not local|missing home directory|mailbox not present|badrcptto|validrcptto|(?:envelope )?recipient has been denied|rejected recipient|@[^\s@]+?>?(?:\.{3})? rejected\b|not our customer|undeliverable address|need fully[- ]qualified address|bad (?:recipient |destination )?(?:mailbox )?address|not (?:in|found in|listed in) (?:the )?(?:\w+ )?(?:directory|address book)|(?:doesn't|does not|did not) have an? (?:\S+ ){0,3}account|宛先不明/,
  ),
  m(
    'message-format',
    'message-format',
    'a message that breaks the RFC 5322 or MIME rules',
    /headers? (?:too (?:large|long|big)|(?:is |are )?(?:missing|malformed|invalid|duplicated?|not (?:allowed|compliant|valid)))|(?:invalid|malformed|missing|bad|broken|illegal|improper|unparsable) (?:\S+ ){0,3}(?:header|MIME|date|message-id|from)|RFC ?(?:2?822|5322|2045|2047|2231)|\bMIME\b|8-?bit (?:data|characters)|non-?ascii|line (?:too long|length)|lines too long|improper use of 8-?bit|(?:no|without) (?:a )?(?:Date|From|Message-ID|Subject):? header/,
  ),
  m(
    'message-too-large',
    'message-too-large',
    'a message over a size limit',
    /too (?:big|large)|size (?:limit|exceeded)|exceeds? (?:the )?(?:maximum |allowed |fixed )?(?:message )?size|message (?:size|length) exceeds|exceeds? (?:the )?(?:size|length) limit|maximum (?:allowed )?(?:message )?size|SizeLimit|mail size|line limit exceeded|size of .{0,30} exceeds|message is too|taille limite|message file too big|zu gro(?:ß|ss)|demasiado grande|trop (?:grand|volumineux)/,
  ),
  m(
    'spam-words',
    'spam-content',
    'spam, malware or a content filter named in the text',
    SPAM,
    /content (?:rejected|filter|policy|blocked)|message content|scored as|spamassassin|suspicious|MCSpamSignature|bulk (?:mail|e-?mail|advertising)|rejected as bulk|reject, id=|unacceptable content|banned content|rejected (?:due to|because of|for) (?:its )?content|message (?:was )?(?:blocked|rejected) (?:because|as|due)/,
  ),
  m(
    'gave-up',
    'expired',
    'a sending MTA that gave up after retrying',
    /message expired|QUEUE\.Expired|retry time(?:out)? (?:exceeded|expired)|in the queue too long|too long in (?:the )?queue|giving up|gave up|envelope expired|delivery time expired|could not be delivered for|not delivered within|has been delayed|failing for a long time|maximum (?:queue )?(?:lifetime|time)|expired after|delivery (?:attempts )?expired|message timed out|undeliverable for|cannot send message for|delivery attempts will continue|after a long failure period|message delayed|could not send message for/,
  ),
  m(
    'connection-failure',
    'network',
    'a connection that was refused, timed out, broke, or looped',
    /connection (?:refused|timed? ?out|reset|closed|lost|dropped|failed|terminated)|timed? ?out|timeout|no route to host|network (?:is )?unreachable|host (?:is )?unreachable|host not reachable|lost connection|(?:could not|couldn't|unable to|failed to|wasn't able to|not able to) (?:connect|establish|reach|open)|did not accept our requests to connect|not responding|no response from|socket error|broken pipe|routing loop|mail loop|loops? back to myself|hop count|too many hops|forwarded more than|maximum (?:number of )?hops|DNS (?:error|failure|lookup)|name service error|lookup failure|could not find a gateway|no (?:available )?route|routing (?:server )?failure|connection died|read error (?:from|on)|error reading|closed (?:the )?connection|did not complete|points back to|points to (?:the )?local host|no answer from|(?:server|destination|host) (?:is |was )?(?:not reachable|unreachable)/,
  ),
];

/** Generic phrases: they decide only when the codes say no more. */
export const WEAK_MEANINGS: readonly Meaning[] = [
  m(
    'generic-refusal',
    'policy',
    'a generic refusal without a stated reason',
    /polic(?:y|ies)|not (?:allowed|permitted|authori[sz]ed)|prohibited|administrative(?:ly)? (?:prohibit|denied|blocked)|access denied|denied|restricted|forbidden|not accepted|rejected by|security issue|header error|violat/,
  ),
  m(
    'remote-trouble',
    'remote-error',
    'a receiving system in trouble (busy, failing, misconfigured) or a broken dialogue',
    /local error|internal (?:server )?error|system (?:error|failure|problem)|server (?:error|failure|busy)|too busy|temporar(?:y|ily) (?:failure|error|problem|unavailable|local problem|deferred)|try (?:again )?later|queue file write error|insufficient (?:system )?(?:storage|disk|resources)|disk (?:space|full)|out of (?:memory|disk)|service (?:is )?(?:currently )?(?:unavailable|not available)|transaction failed|syntax error|command (?:not )?(?:recogni[sz]ed|implemented|unrecognized)|bad sequence|not implemented|protocol error|unexpected|mailer|procmail|maildrop|No such file or directory|Command died|configuration (?:error|problem)|misconfigur|malformed address|may not follow|closing (?:transmission )?channel|pipelining|synchroni[sz]ation error|lookup error|service refus/,
  ),
];

/** First meaning of the list found in the text, trying every alternative. */
export function matchMeaning(meanings: readonly Meaning[], text: string): Meaning | null {
  for (const meaning of meanings) for (const alt of meaning.alts) if (alt.re.test(text)) return meaning;
  return null;
}

/**
 * The same, trying only the candidate alternatives (meaning << 10 | alternative, in order, in
 * `codes[0 .. count)`) that the dispatch found possible for this text.
 */
export function matchCandidates(
  meanings: readonly Meaning[],
  text: string,
  candidates: { readonly codes: Int32Array; readonly count: number },
): Meaning | null {
  const { codes, count } = candidates;
  for (let i = 0; i < count; i++) {
    const code = codes[i]!;
    const meaning = meanings[code >> 10]!;
    if (meaning.alts[code & 1023]!.re.test(text)) return meaning;
  }
  return null;
}
