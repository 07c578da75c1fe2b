/**
 * The words receivers use, by idea and language, as regex sources for the meanings (meanings.ts).
 * Languages: those large providers and common MTAs reply in (English, German, French, Spanish,
 * Portuguese, Italian, Dutch, Polish, Russian, Japanese and Chinese where real replies use them).
 */

/** Joins alternatives into one non-capturing group. */
const any = (...alts: readonly string[]): string => `(?:${alts.join('|')})`;

/**
 * A vocabulary: whole words (bounded on both sides, so that "conta" is not found in "contains"),
 * stems (bounded at the start only: "scor" for score and scored, words ending in an accented
 * letter), and words of other scripts, which a regex cannot bound (found anywhere).
 */
export function vocab(
  words: readonly string[],
  stems: readonly string[] = [],
  scripts: readonly string[] = [],
): string {
  const parts: string[] = [];
  if (words.length > 0) parts.push(`\\b(?:${words.join('|')})\\b`);
  if (stems.length > 0) parts.push(`\\b(?:${stems.join('|')})`);
  return any(...parts, ...scripts);
}

/** Two ideas close together: the regex source, and the two parts a text must both contain. */
export interface Near {
  source: string;
  parts: readonly [string, string];
}

/**
 * `a` and `b` close together, in either order, within one clause (no ";" or line break between):
 * "user ... unknown", "unknown user". `gap` bounds the work a regex does per candidate.
 */
export function near(a: string, b: string, gap = 40, backGap = 16): Near {
  return { source: `${a}[^;\\n]{0,${gap}}?${b}|${b}[^;\\n]{0,${backGap}}?${a}`, parts: [a, b] };
}

/** A mailbox, user or address on the receiving side. */
export const MAILBOX = vocab(
  [
    'user(?:name)?s?',
    'recipients?',
    'mail ?box(?:es)?',
    'addressee',
    'address(?:es)?',
    'e-?mail(?: account)?',
    'accounts?',
    'local[- ]?part',
    'alias',
    'person',
    'inbox',
    'Empf(?:ä|ae)nger',
    'Benutzer(?:konto)?',
    'Nutzer',
    'Postfach',
    'Adresse',
    'Konto',
    'destinataire',
    'utilisateur',
    'bo[iî]te (?:aux lettres|mail|e-mail)',
    'compte',
    'destinatari[oa]',
    'usu[aá]rio',
    'buz[oó]n',
    'direcci[oó]n',
    'cuenta',
    'casilla',
    'caixa postal',
    'endere[cç]o',
    'conta',
    'utente',
    'casella',
    'indirizzo',
    'ontvanger',
    'gebruiker',
    'u[zż]ytkownik',
    'skrzynka',
    'odbiorca',
  ],
  [],
  [
    'получател',
    'пользовател',
    'адрес',
    'ящик',
    'аккаунт',
    'учетн',
    '宛先',
    'ユーザ',
    'アドレス',
    '受信者',
    '收件人',
    '用户',
    '用戶',
    '邮箱',
    '郵箱',
    '帐号',
    '账号',
    '帳號',
  ],
);

/** "does not exist" and its relatives: the thing named is unknown here. */
export const NOT_EXIST = vocab(
  [
    'unknown',
    'not (?:be )?(?:found|known|listed|recogni[sz]ed|registered)',
    'not (?:a )?valid',
    'not exist',
    '(?:does|do|did)(?: not|n.t) exist',
    'no longer exists?',
    'non-?existent',
    'nonexistant',
    'invalid',
    'unrecogni[sz]ed',
    "(?:couldn't|could not|cannot|can't) be found",
    'unbekannt',
    'existiert (?:nicht|nicht mehr)',
    'nicht (?:vorhanden|gefunden|bekannt)',
    'inconnue?',
    "n'existe (?:pas|plus)",
    'inexistante?',
    'introuvable',
    'invalide',
    'desconocid[oa]',
    'no existe',
    'inexistente',
    'no encontrad[oa]',
    'desconhecid[oa]',
    'n[aã]o existe',
    'n[aã]o encontrad[oa]',
    'sconosciut[oa]',
    'inesistente',
    'non esiste',
    'onbekend',
    'bestaat niet',
    'nie istnieje',
  ],
  ['ung(?:ü|ue)ltig', 'no v[aá]lid', 'nieznan'],
  [
    'не существует',
    'неизвестн',
    'не найден',
    'несуществующ',
    '存在しません',
    '存在しない',
    '見つかりません',
    '不存在',
  ],
);

/** "no such user", "kein Benutzer" ...: the negation comes first. */
export const NO_SUCH = vocab(
  [
    'no such',
    'no (?:valid )?(?:mailbox|account|user|recipient)',
    'kein(?:e|en)? (?:solche[rsn]? )?(?:Benutzer|Postfach)',
    'pas de (?:tel |telle )?(?:destinataire|utilisateur)',
    'no hay (?:tal )?(?:usuario|destinatario)',
  ],
  ['kein(?:e|en)? (?:solche[rsn]? )?Empf', 'no hay (?:tal )?buz'],
  ['нет такого'],
);

/** Disabled, suspended, inactive, locked, closed accounts. */
export const DISABLED = vocab(
  [
    'disabled',
    'de-?activated',
    'suspended',
    'locked',
    'frozen',
    'inactive',
    'not active',
    'closed',
    'discontinued',
    'terminated',
    'cancell?ed',
    'no longer (?:active|in use|available|valid)',
    'deaktiviert',
    'gesperrt',
    'stillgelegt',
    'inaktiv',
    'desactivad[oa]',
    'suspendid[oa]',
    'bloquead[oa]',
    'inactiv[oa]',
    'cancelad[oa]',
    'desativad[oa]',
    'suspens[oa]',
    'inativ[oa]',
    'disattivat[oa]',
    'sospes[oa]',
    'bloccat[oa]',
  ],
  ['d[eé]sactiv', 'suspendu', 'bloqu[eé]', 'inacti', 'ferm[eé]'],
  ['заблокирован', 'отключен', 'неактивн', '停止', '冻结', '凍結', '禁用'],
);

/** A mailbox over its storage limit. */
export const FULL = vocab(
  [
    'full(?! (?:name|text|reply|message|ndr|bounce|report|details|headers?|address|list|copy|path|stop|error))',
    'over ?quota',
    'quota (?:exceeded|exceed|full|reached|violation)',
    '(?:storage|disk) quota',
    'out of (?:storage|space)',
    'voll',
    'Speicher(?:platz|volumen)',
    'lleno',
    'cheia',
    'piena',
  ],
  ['pleine?'],
  ['переполнен', 'заполнен', '容量', '已满', '已滿'],
);

/** Spam and malware verdicts. */
export const SPAM = vocab(
  [
    'unsolicited',
    'UBE',
    'UCE',
    'junk',
    'pourriel',
    'no deseado',
    'indesejad[oa]',
    'virus(?:es)?',
    'malware',
    'infected',
    'trojan',
    'phishing',
  ],
  ['spam(?!haus|cop|rats)', 'ind[eé]sirable', 'unerw(?:ü|ue)nscht'],
  ['спам', '垃圾邮件', '垃圾郵件', '迷惑メール'],
);

/** The envelope sender, in the words of several languages. */
export const SENDER = vocab(
  [
    'senders?',
    'mail from(?=:|\\s*<)',
    'envelope[- ]from',
    'return[- ]path',
    'reverse-path',
    'from:? address',
    'from:? domain',
    'originator',
    'Absender',
    'remitente',
    'remetente',
    'mittente',
    'afzender',
    'nadawca',
  ],
  ['exp[eé]diteur'],
  ['отправител', '发件人', '發件人', '送信者', '差出人'],
);

/** Refused, not allowed, blocked. */
export const REFUSED = vocab(
  [
    'rejected',
    'refused',
    'denied',
    'blocked',
    'not (?:allowed|accepted|permitted|authori[sz]ed)',
    'abgelehnt',
    'nicht (?:erlaubt|zugelassen|akzeptiert)',
    'rechazad[oa]',
    'recusad[oa]',
    'rifiutat[oa]',
  ],
  ['refus[eé]', 'rejet[eé]'],
  ['отклонен', 'запрещен', '拒绝', '拒絕', '拒否'],
);

/** A group or mailing list. */
export const GROUP = vocab(
  [
    'groups?',
    'mailing list',
    'list',
    'Gruppe',
    'groupe',
    'grupo',
    'gruppo',
    'groep',
    'grup[aey]?',
    'skupin[ay]',
    'csoport',
  ],
  ['ryhm', 'grupę'],
  [
    'групп',
    'груп',
    'ομάδα',
    'קבוצה',
    'גרופ',
    'گروه',
    'المجموعة',
    'مجموعة',
    'समूह',
    'グループ',
    '그룹',
    '群组',
    '群組',
    'nhóm',
    'กลุ่ม',
  ],
);

/** Posting or sending messages to it, and the permission to. */
export const POST = vocab(
  [
    'post(?:ing|s)?',
    'permission',
    'posten',
    'publier',
    'poster',
    'publicar',
    'postar',
    'permiso',
    'pubblicare',
    'publiceren',
  ],
  ['Berechtigung', 'autoris[eé]', 'permiss[aã]o', 'publikow'],
  [
    'zveřejň',
    'публикова',
    'публікува',
    'ανάρτηση',
    'δικαίωμα',
    'לפרסם',
    'ارسال پیام',
    'مجوز',
    'النشر',
    'للنشر',
    'إرسال الرسائل',
    'पोस्ट',
    '投稿',
    '게시',
    '張貼',
    '张贴',
    '发帖',
    '發佈',
    '发布',
    'đăng',
    'โพสต์',
  ],
);
