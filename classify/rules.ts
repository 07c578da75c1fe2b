/** Phrase rules: the wording receivers use for each cause, tried in order (most specific first). */

import type { Cause } from './types.js';

export interface PhraseRule {
  cause: Cause;
  re: RegExp;
  /** Short label for debugging and tests: which family matched. */
  family: string;
}

const r = (cause: Cause, family: string, re: RegExp): PhraseRule => ({ cause, family, re });

/** Rules that beat any code: when one of these phrases is present, the text says it all. */
export const STRONG_RULES: readonly PhraseRule[] = [
  r(
    'greylisted',
    'greylist',
    /gr[ae]y[- ]?list|postgrey|greylistd|come back later|not yet authori[sz]ed to deliver/i,
  ),
  r('domain-invalid', 'hedged-domain', /account or domain may not exist/i),
  r(
    'remote-error',
    'local-delivery',
    /\b(?:procmail|maildrop)\b|(?:couldn't|can't|cannot|unable to) (?:create|open|write|lock)\b|insufficient permission|permission denied|No such file or directory|Command died|command output|Failed to read|x-unix|exit (?:code|status) \d|mailer error|pipe to \||child process of|non-zero status|terminated by signal|mailbox (?:is )?locked by/i,
  ),
  r(
    'message-format',
    'format-specific',
    /duplicate header|multiple .{0,20}\bFrom:? header|multiple addresses in From|RFC ?5322 section|not (?:RFC|rfc)[- ]?(?:2?822|5322)?[- ]?compliant|bare (?:LF|linefeed|CR|newline)s?\b/i,
  ),
  r(
    'recipient-filtered',
    'recipient-filter',
    /\bfiltered\b|recipient (?:has )?(?:blocked|refused) (?:you|your|the sender|this sender)|blocked by (?:the )?recipient|not accept(?:ing)? mail from you|on the recipient's (?:block|deny) ?list|only accepts? (?:mail|messages) from|recipient preferences|refuses? to (?:receive|accept) (?:your )?mail|(?:is )?not accepting any mail|recipient is not accepting|this account is protected|RESOLVER\.RST\.NotAuthorized|filter rules?\b|by (?:a |the )?(?:user|recipient)(?:'s)? (?:filter|rule)/i,
  ),
  r(
    'spam-content',
    'content-url-list',
    /(?:black|block)?listed (?:url|link|domain in (?:the )?(?:message|body))|(?:url|link)s?\b.{0,40}\b(?:black|block)?listed|\buribl\b|\bsurbl\b|dbl\.spamhaus|\bvirus|malware|Spam\w{0,20}Signature/i,
  ),
  r(
    'tls',
    'tls',
    /starttls|\bTLS\b|\bSSL\b|REQUIRETLS|encryption (?:is )?(?:required|needed)|certificate (?:verif|expired|has expired|not trusted|not verified|name|invalid|error|problem)|untrusted certificate|handshake|MTA-STS|\bDANE\b|secure connection/i,
  ),
  r(
    'authentication',
    'spf-dkim-dmarc',
    /\bSPF\b|\bDKIM\b|\bDMARC\b|DomainKeys|sender policy framework|unauthenticated (?:e-?mail|mail|message)|sender is unauthenticated|(?:fails?|failed|did not|does not|didn't) (?:to )?pass (?:authentication|SPF|DKIM|DMARC|sender auth)|authentication (?:checks?|results|information)|as (?:a )?permitted sender|not (?:a )?permitted sender|\bARC\b.{0,20}(?:valid|fail)|senders? to authenticate|is not allowed to send (?:mail )?from|not authori[sz]ed to send (?:mail )?(?:from|on behalf|as)|sender (?:domain )?(?:is )?not authenticated|spoof/i,
  ),
  r(
    'auth-required',
    'smtp-auth',
    /auth(?:entication)? (?:is )?required|AuthRequired|must (?:be )?authenticated?|(?:turn on|enable|use) SMTP Auth|without (?:SMTP )?authentication|not authenticated|authentication (?:failed|credentials invalid|unsuccessful|mechanism)|invalid credentials|BadCredentials|username and password not accepted|unauthenticated (?:senders?|relay|users?|clients?)|SMTP AUTH|please (?:log ?in|authenticate)|authenticate first|authentication turned on|(?:don't|do not|didn't) authenticate|not logged in|log ?in first|anonymous mail/i,
  ),
  r(
    'relay-denied',
    'relay',
    /relay(?:ing)? (?:access )?(?:is )?(?:denied|not (?:permitted|allowed|authori[sz]ed)|prohibited|refused)|not (?:permitted|allowed|configured|authori[sz]ed) to relay|unable to relay|(?:we )?do(?:es)? not relay|relay access|no relaying|cannot relay|can't relay|relaying (?:mail )?(?:to|for)\b.{0,60}\b(?:not|denied)|identities failed the check|as a relay|not local host|isn't in my list of allowed rcpthosts|(?:don't|do not) handle mail for|specified domain is not allowed|not a gateway|open relay test/i,
  ),
  r(
    'reputation-blocklist',
    'named-list',
    /blocked using|\b(?:rbl|dnsbl)s?\b|\bAUP#\w*RBL|spamhaus|spamcop|barracudacentral|\bsorbs\b|uceprotect|spamrats|mailspike|cloudmark|\bS31[45]0\b|banned sending IP|dnsbl-lookup|ipcheck\.proofpoint|listed (?:in|on|at|by) (?:a |the |our )?\S*bl\b/i,
  ),
  r(
    'policy',
    'policy-reasons',
    /(?:for|due to|by) (?:local |site |security )?polic(?:y|ies)(?: reasons)?\b|policy (?:violation|reasons|restriction)/i,
  ),
  r(
    'sender-rejected',
    'sender',
    /sender (?:address )?(?:was )?(?:rejected|refused|denied|blocked|not (?:allowed|accepted|valid|authori[sz]ed|verified))|(?:bad|invalid|unknown|unverified|unroutable|illegal|rejected) sender\b|sender (?:address )?(?:domain )?(?:does not exist|not found|unknown|invalid|must (?:exist|resolve))|sender verif(?:y|ication) fail|domain of sender (?:address )?.{0,80}(?:does not exist|not found|not resolve|invalid)|from:? (?:domain|address) is invalid|(?:sending|from) (?:to\/from )?an address that has been (?:black|block)listed|(?:sender|from) address .{0,30}(?:black|block)listed|mail from .{0,60}(?:rejected|refused|not allowed)|return[- ]path .{0,30}(?:invalid|rejected)|bad outbound sender|sender rejected|sender (?:address |domain )?(?:has|with) (?:a )?null MX|permission to post|not (?:allowed|permitted|authori[sz]ed) to post|posting (?:to this (?:group|list) )?(?:is )?(?:not allowed|restricted)|badmailfrom|null sender|empty (?:envelope )?sender|\bBATV\b|sender not pre-?approved|not a registered gateway user|mail from not owned|unsigned dsn|reverse-path/i,
  ),
  r(
    'reverse-dns',
    'ptr-helo',
    /reverse (?:dns|lookup|hostname|mapping|resolution)|\brDNS\b|\bPTR\b|cannot find your (?:reverse )?hostname|client host name|hostname (?:does not|doesn't|did not) (?:match|resolve)|(?:does not|doesn't) resolve to your|unverifi?y?able sending IP|mismatches client ip|(?:HELO|EHLO)(?: command| name| hostname)? (?:rejected|invalid|not (?:valid|allowed|accepted|fqdn))|(?:bad|invalid|forged|illegal|unknown) (?:HELO|EHLO)|my name was rejected|rejected (?:HELO|EHLO)\b|need fully[- ]qualified|not (?:a )?fully[- ]qualified|generic (?:hostname|rdns)|ip name lookup failed|(?:cannot|can't|unable to|could not) resolve your (?:host ?name|ip|address)|your (?:host ?name|ip address) (?:does not|doesn't|did not) resolve|unresolvable relay host|no matches to nameserver query|no (?:valid )?hostname/i,
  ),
  r(
    'reputation-blocklist',
    'blocklist',
    /blocked using|\b(?:rbl|dnsbl)s?\b|\bRBL\w*|black ?list(?:ed)?|block ?list(?:ed)?|listed (?:in|on|at|by) (?:a |the |our )?\S*bl\b|spamhaus|spamcop|barracuda(?:central)?|\bsorbs\b|uceprotect|spamrats|mailspike|cloudmark|\bS31[45]0\b|banned sending IP|banned sender|part of their network|(?:weren't|were not) sent|too many unwanted|poor reputation|low reputation|bad reputation|reputation (?:of|is)|(?:ip|sender|domain) reputation|due to (?:ip |domain )?reputation|blocked for (?:abuse|spam)|(?:ip|client|host|mail ?server)(?: address)? (?:\S+ )?(?:is |has been |was )?(?:blocked|banned|block ?listed)|adresse ip .{0,30}bloqu|client host (?:\S+ )?(?:blocked|rejected)|traffic not accepted from this IP|may not be mail exchanger|smtp server of your (?:ISP|provider)|dynamic(?:ally assigned)? (?:ip|address|pool|range)|residential|dial-?up|end-user (?:ip|address)|dnsbl-lookup|on our (?:local )?(?:block|deny) ?list|ip address (?:\S+ )?(?:is |has been )?(?:listed|blocked)|spam source|known spammer|not (?:currently )?accepting mail from your ip|you are not allowed to connect|no access from mail server|ip (?:address )?(?:declined|banned)|suspiciously like (?:a )?spammer|dynamic\/zombied|too many spams from|(?:refused|rejected|blocked) - see https?:|open proxy|host not authori[sz]ed|(?:was|is) blocked by\b|bad sender ip|not authori[sz]ed to send (?:e-?mail|mail) directly|use the smtp relay (?:at|of) your/i,
  ),
  r(
    'rate-limited',
    'rate',
    /rate limit|rate-limit|ratelimit|too many (?:connections|concurrent|messages(?! (?:on the server|in (?:the |your |his |her )?(?:mail ?box|folder|inbox)))|mails|e-?mails|recipients|sessions|simultaneous|requests|errors|invalid recipients|unknown recipients|deliveries)|too fast|at a rate|unusual rate|frequency limit|(?:connection|message|sending|submission|receiving|delivery) rate|exceeded (?:the )?(?:maximum |allowed )?(?:number of )?(?:connections|messages|recipients|rate)|throttl|slow down|unexpected volume|(?:hourly|daily) (?:message |sending |receive )?(?:limit|quota)|temporarily deferred due to|mail flood|too much mail|(?:connection|session) limit|limit (?:on|of) (?:connections|messages)|concurrency|slower|trop de connexions|max(?:imum)? (?:e-?mails|messages) per (?:hour|day|minute)/i,
  ),
  r(
    'mailbox-full',
    'quota',
    /mailbox (?:is |was )?full|mail ?box full|over ?quota|quota (?:exceeded|exceed|full|reached)|exceed(?:ed|s)? (?:the |his |her |their |its )?(?:storage|quota|mailbox (?:size|limit|quota))|out of storage|storage (?:quota|space|limit|allocation)|insufficient (?:user )?quota|(?:mailbox|inbox|folder) (?:size )?(?:limit|quota) (?:exceeded|reached)|number of messages in .{0,40}exceeded|mailbox (?:is )?(?:over|exceeds|too large)|disk quota|user (?:has )?exceeded|mailbox has exceeded|bo[iî]te (?:aux lettres )?pleine|postfach (?:ist )?voll|casella (?:di posta )?piena|buz[oó]n lleno|OverQuota|mailbox is full|at capacity|mailbox size|quota violation|space has been used up|too many messages on the server|mail ?folder is full|full mailbox|bo[iî]te du destinataire pleine|would exceed (?:the )?(?:maximum )?(?:allowed )?storage|not enough (?:disk |storage )?space in/i,
  ),
  r(
    'mailbox-disabled',
    'disabled',
    /(?:account|mailbox|user|address|recipient|inbox|e-?mail)(?: address)? (?:has been |is |was |is currently |currently |been |that you tried to reach is )?(?:disabled|deactivated|suspended|locked|frozen|inactive|expired|closed|discontinued|terminated|not active|no longer (?:active|in use|available))|(?:disabled|inactive|suspended|deactivated|expired|closed|locked) (?:recipient|mailbox|account|user)|no longer in use|compte .{0,30}bloqu|recipient account is blocked|inactive (?:user|account)|account .{0,20}(?:disabled|discontinued)/i,
  ),
  // Temporary DNS trouble must win over the "host not found" wording of the domain rule.
  r(
    'network',
    'dns-temporary',
    /(?:name service error|DNS|lookup|name ?server|resolv)\b.{0,80}(?:try again|temporar|SERVFAIL|timed? ?out|malformed|unexpected)|host name lookup failure|temporary (?:DNS|lookup|name resolution) failure|SERVFAIL|malformed (?:or unexpected )?name ?server reply/i,
  ),
  r(
    'domain-invalid',
    'domain',
    /host (?:or domain name )?not found|non-?existent (?:domain|hosts?)|NonExistentDomain|point to non-?existent|(?:host|domain) \S+ (?:not found|does not exist)|domain (?:name )?not found|(?:domain|host) (?:name )?(?:does not|doesn't) exist|no such domain|unknown host|host unknown|\bNXDOMAIN\b|null MX|(?:does not|doesn't|not) (?:accept|receive) (?:e-?)?mail|no MX (?:record )?(?:found|for)|(?:couldn't|could not|unable to|can't|cannot) find (?:a |any )?mail exchanger|MX or SRV record|no SMTP service|domain is not reachable|unrouteable (?:address|domain|mail domain)|no (?:valid )?(?:MX|mail exchanger)|bad destination system|account or domain may not exist|invalid (?:recipient )?domain|domain (?:has )?expired|had no relevant answers|name or service not known|couldn't find any host|unknown domain|no such host|domain must exist|domain (?:is )?(?:not (?:valid|registered)|unknown|invalid)/i,
  ),
  r(
    'recipient-unknown',
    'mailbox',
    /(?:user|recipient|mailbox|address|account|addressee|person|alias)(?: name)? (?:is )?(?:unknown|not (?:found|known|listed|recogni[sz]ed|exist|valid|local)|does not exist|doesn't exist|did not exist|non-?existent|invalid|unavailable)|unknown (?:virtual |local )?(?:user|recipient|mailbox|address|local[- ]?part|alias|e-?mail)|(?:address|addresses|recipients?) (?:were|was|is|are) unknown|no such (?:user|recipient|mailbox|account|address|person|local user|alias)|(?:invalid|bad|illegal|non-?existent) (?:recipient|mailbox|user|address|destination|e-?mail)|(?:doesn't|does not) have an? .{0,40}account|not (?:a )?valid (?:recipient|mailbox|user|address)|(?:couldn't|could not|cannot) be found|no mailbox (?:here|by that name)|RecipNotFound|RecipientNotFound|unknown or illegal|not listed in (?:the )?(?:\w+ )?(?:directory|address book)|not (?:in|found in) (?:the )?(?:\w+ )?directory|name & address book|name is not recognized|no valid recipients|invalid final delivery|no longer on (?:this )?server|has moved|address rejected|mailbox unavailable|does not exist|destinataire (?:invalide|inconnu)|utente (?:inesistente|sconosciuto)|unbekannt|usuario (?:desconocido|no existe)|(?:user|mailbox) (?:lookup )?failed|recipients? (?:was |were )?rejected|not a known user|utilisateur inconnu|no (?:account|mailbox|one) (?:by that name|at this address|available for this user|found)|archived recipient|no longer accepts mail|recipient is not local|missing home directory|mailbox not present|badrcptto|validrcptto|(?:envelope )?recipient has been denied|rejected recipient|@[^\s@]+?>?(?:\.{3})? rejected\b/i,
  ),
  r(
    'message-format',
    'format',
    /headers? (?:too (?:large|long|big)|(?:is |are )?(?:missing|malformed|invalid|duplicated?|not (?:allowed|compliant|valid)))|duplicate header|(?:invalid|malformed|missing|bad|broken|illegal|improper|unparsable) (?:\S+ ){0,3}(?:header|MIME|date|message-id|from)|multiple .{0,20}\bFrom:? header|multiple addresses in From|RFC ?(?:2?822|5322|2045|2047|2231)|\bMIME\b|8-?bit (?:data|characters)|non-?ascii|bare (?:LF|linefeed|CR|newline)|line (?:too long|length)|lines too long|not (?:RFC|rfc)[- ]?compliant|improper use of 8-?bit|(?:no|without) (?:a )?(?:Date|From|Message-ID|Subject):? header/i,
  ),
  r(
    'message-too-large',
    'size',
    /too (?:big|large)|size (?:limit|exceeded)|exceeds? (?:the )?(?:maximum |allowed |fixed )?(?:message )?size|message (?:size|length) exceeds|exceeds? (?:the )?(?:size|length) limit|maximum (?:allowed )?(?:message )?size|SizeLimit|mail size|line limit exceeded|size of .{0,30} exceeds|message is too|taille limite|message file too big/i,
  ),
  r(
    'spam-content',
    'spam',
    /spam(?!haus|cop|rats)|unsolicited|\bUBE\b|\bUCE\b|junk|content (?:rejected|filter|policy|blocked)|message content|scored as|spam ?score|spamassassin|virus|malware|infected|trojan|phishing|suspicious|MCSpamSignature|bulk (?:mail|e-?mail|advertising)|rejected as bulk|reject, id=|unacceptable content|banned content|rejected (?:due to|because of|for) (?:its )?content|message (?:was )?(?:blocked|rejected) (?:because|as|due)/i,
  ),
  r(
    'expired',
    'expired',
    /message expired|QUEUE\.Expired|retry time(?:out)? (?:exceeded|expired)|in the queue too long|too long in (?:the )?queue|giving up|gave up|envelope expired|delivery time expired|could not be delivered for|not delivered within|has been delayed|failing for a long time|maximum (?:queue )?(?:lifetime|time)|expired after|delivery (?:attempts )?expired|message timed out|undeliverable for|cannot send message for|delivery attempts will continue|after a long failure period|message delayed|could not send message for/i,
  ),
  r(
    'network',
    'connection',
    /connection (?:refused|timed? ?out|reset|closed|lost|dropped|failed|terminated)|timed? ?out|timeout|no route to host|network (?:is )?unreachable|host (?:is )?unreachable|host not reachable|lost connection|(?:could not|couldn't|unable to|failed to|wasn't able to|not able to) (?:connect|establish|reach|open)|did not accept our requests to connect|not responding|no response from|socket error|broken pipe|routing loop|mail loop|loops? back to myself|hop count|too many hops|forwarded more than|maximum (?:number of )?hops|DNS (?:error|failure|lookup)|name service error|lookup failure|could not find a gateway|no (?:available )?route|routing (?:server )?failure|connection died|read error (?:from|on)|error reading|closed (?:the )?connection|did not complete|points back to|points to (?:the )?local host|no answer from|(?:server|destination|host) (?:is |was )?(?:not reachable|unreachable)/i,
  ),
];

/** Generic phrases: they only decide when the codes do not say more. */
export const WEAK_RULES: readonly PhraseRule[] = [
  r(
    'policy',
    'policy',
    /polic(?:y|ies)|not (?:allowed|permitted|authori[sz]ed)|prohibited|administrative(?:ly)? (?:prohibit|denied|blocked)|access denied|denied|restricted|forbidden|not accepted|rejected by|security issue|header error|violat/i,
  ),
  r(
    'remote-error',
    'remote',
    /local error|internal (?:server )?error|system (?:error|failure|problem)|server (?:error|failure|busy)|too busy|temporar(?:y|ily) (?:failure|error|problem|unavailable|local problem|deferred)|try (?:again )?later|queue file write error|insufficient (?:system )?(?:storage|disk|resources)|disk (?:space|full)|out of (?:memory|disk)|service (?:is )?(?:currently )?(?:unavailable|not available)|transaction failed|syntax error|command (?:not )?(?:recogni[sz]ed|implemented|unrecognized)|bad sequence|not implemented|protocol error|unexpected|mailer|procmail|maildrop|No such file or directory|Command died|configuration (?:error|problem)|misconfigur|malformed address|may not follow|closing (?:transmission )?channel|pipelining|synchroni[sz]ation error|lookup error|service refus/i,
  ),
];

/** First rule of the list whose phrase occurs in the text; `may(i)` false means rule i cannot match. */
export function matchRule(
  rules: readonly PhraseRule[],
  text: string,
  may?: (i: number) => boolean,
): PhraseRule | null {
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    if ((may === undefined || may(i)) && rule.re.test(text)) return rule;
  }
  return null;
}
