using System.Text.RegularExpressions;

namespace Desk.Domain.Email;

/// <summary>
/// Finds what a customer newly wrote in an emailed reply: the quoted history their mail client appended
/// ("On … wrote:", "&gt; …", Outlook's "From: … Sent: …" block, "-----Original Message-----", and the same
/// in Chinese, Japanese, German, French and other languages) and their signature are removed.
/// </summary>
/// <remarks>
/// The full original is always stored elsewhere, so the rules lean toward keeping text: a line is removed only
/// when it is recognisably history or signature, and the result is never empty when the input had text.
/// <list type="bullet">
/// <item>Inline answers are kept with the quoted lines between them: when the customer wrote between quotes,
/// the quotes are the questions they answer. Only the quoted history after their last own line goes, and
/// a single quote at the very top (bottom-posting) goes too.</item>
/// <item>A forwarded message ("---------- Forwarded message ---------") is kept: the customer chose to send
/// it, and it is often the evidence (a courier's or shop's mail).</item>
/// <item>Signatures: "-- " and what follows it, a mobile client's "Sent from my iPhone" / "发自我的iPhone" line
/// and what follows it, a mailing-list footer under a line of underscores, and a closing such as
/// "Best regards," followed by at most four short lines (a name and title). A closing followed by anything
/// that could be content (a question, a "P.S.") is kept.</item>
/// </list>
/// </remarks>
public static partial class ReplyText
{
    private const int MaxHeaderLines = 4;
    private const int MaxSignatureLines = 12;
    private const int MaxBareSignatureLines = 8;
    private const int MaxBareSignatureLineLength = 100;
    private const int MaxFooterLines = 8;
    private const int MaxSignOffLines = 4;
    private const int MaxSignOffLineLength = 60;

    /// Headers, separators and signatures are short; longer lines are never tested against a pattern, which
    /// keeps the work linear on pathological input (a 100,000-character line of "&gt;").
    private const int MaxMarkerLineLength = 1000;

    /// <summary>
    /// The new text of a reply: quoted history and signature removed, trimmed; line endings normalised to \n.
    /// Returns the whole input (trimmed) when everything in it looks quoted.
    /// </summary>
    public static string NewText(string text) => Strip(text, firstMessage: false);

    /// <summary>
    /// The text of the first mail of a ticket, stripped like <see cref="NewText"/>: customers often open a complaint by
    /// replying to or forwarding a shop's mail, whose quoted history and their signature are not what they wrote.
    /// When nothing but a signature would be left (a mail that is all quote under "Sent from my iPhone"), the whole
    /// text is returned (trimmed): the quoted mail is then the complaint, and a ticket must never open empty.
    /// </summary>
    public static string FirstMessageText(string text) => Strip(text, firstMessage: true);

    private static string Strip(string text, bool firstMessage)
    {
        ArgumentNullException.ThrowIfNull(text);
        var normalised = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        try
        {
            var raw = normalised.Split('\n');
            var rfcDelimiters = Enumerable.Range(0, raw.Length).Where(i => raw[i] == "-- ").ToHashSet();
            return Strip(normalised, raw.Select(l => l.TrimEnd()).ToList(), rfcDelimiters, firstMessage);
        }
        catch (RegexMatchTimeoutException)
        {
            // A guard, not a path: every pattern runs on short lines. Keeping everything loses nothing.
            return normalised.Trim();
        }
    }

    private static string Strip(string normalised, List<string> lines, HashSet<int> rfcDelimiters, bool firstMessage)
    {
        var history = WithDividerAbove(lines, FindHistoryStart(lines));
        var beforeHistory = lines.Take(history).ToList();

        var withoutSignature = RemoveSignatures(beforeHistory, rfcDelimiters);
        var result = Join(RemoveSignOff(RemoveQuotes(withoutSignature)));
        if (result.Length > 0)
            return result;
        if (firstMessage)
            return normalised.Trim();

        // Only a signature was left ("Sent from my iPhone" above the quote): that is still what they sent.
        result = Join(RemoveQuotes(beforeHistory));
        return result.Length > 0 ? result : normalised.Trim();
    }

    /// A divider with a label in it ("----- Původní e-mail -----") right above history found by its header block
    /// belongs to that history, whatever its language: left behind, it would end the shown text.
    private static int WithDividerAbove(List<string> lines, int history)
    {
        if (history >= lines.Count)
            return history;
        var above = history - 1;
        while (above >= 0 && lines[above].Trim().Length == 0)
            above--;
        return above >= 0 && IsMarkerCandidate(lines[above]) && !IsQuoted(lines[above]) && FramedLabel().IsMatch(lines[above])
            && !ForwardedMessage().IsMatch(lines[above]) ? above : history;
    }

    // ---- Quoted history that is not marked with ">" ------------------------------------------------------

    /// The first line of unmarked history: an attribution ("On … wrote:") followed by unquoted text, an
    /// "Original Message" separator, or a mail header block. Attributions followed by "&gt;" lines are left
    /// to <see cref="RemoveQuotes"/>, which can tell inline answers from trailing history.
    private static int FindHistoryStart(List<string> lines)
    {
        for (var i = 0; i < lines.Count; i++)
        {
            if (IsQuoted(lines[i]) || !IsMarkerCandidate(lines[i]))
                continue;
            if (ForwardedMessage().IsMatch(lines[i]))
            {
                // Kept, and its own header block with it; history further down is still history.
                i = SkipHeaderBlock(lines, i + 1);
                continue;
            }
            if (OriginalMessageSeparator().IsMatch(lines[i]))
                return i;
            if (IsHeaderBlock(lines, i))
                return i;
            if (AttributionEndingAt(lines, i) is { } start && !NextNonBlankIsQuoted(lines, i + 1))
                return start;
        }
        return lines.Count;
    }

    private static int SkipHeaderBlock(List<string> lines, int from)
    {
        var i = from;
        while (i < lines.Count && lines[i].Trim().Length == 0)
            i++;
        while (i < lines.Count && IsMarkerCandidate(lines[i]) && (HeaderField().IsMatch(lines[i]) || (i > from && WrappedAddress().IsMatch(lines[i]))))
            i++;
        return i - 1;
    }

    private static bool NextNonBlankIsQuoted(List<string> lines, int from)
    {
        for (var i = from; i < lines.Count; i++)
            if (lines[i].Length > 0)
                return IsQuoted(lines[i]);
        return false;
    }

    /// When line <paramref name="end"/> ends an attribution ("On Mon, 2 Mar 2026 at 10:14, Desk &lt;desk@…&gt;
    /// wrote:"), possibly wrapped over several lines, the line it starts on; otherwise null. The shortest
    /// span is taken, so a sentence of the customer's just above is never swallowed.
    private static int? AttributionEndingAt(List<string> lines, int end)
    {
        if (!IsMarkerCandidate(lines[end]) || !EndsLikeAttribution(lines[end]))
            return null;
        for (var start = end; start >= 0 && start > end - MaxHeaderLines; start--)
        {
            if (!IsMarkerCandidate(lines[start]) || IsQuoted(lines[start]))
                return null;
            var joined = string.Join(' ', lines.Skip(start).Take(end - start + 1).Select(l => l.Trim()));
            if (!IsAttribution(joined))
                continue;
            // "On Nov 21, 2014,\nat 10:18,\nJohn Doe <john@…> wrote:": the date line above belongs to it too.
            while (start > 0 && start > end - MaxHeaderLines + 1 && IsAttributionOpening(lines[start - 1]))
                start--;
            return start;
        }
        return null;
    }

    /// <summary>The longest "wrote" verb <see cref="AttributionEnd"/> knows ("napisał(a)", "написал(а)": ten characters), with room to spare.</summary>
    private const int LongestAttributionVerb = 16;

    /// Whether <see cref="AttributionEnd"/> matches <paramref name="line"/>, looking only at its end. A match is a verb
    /// followed by nothing but white space, colons and dashes, or a colon followed by such: it starts inside that
    /// trailing run or at most a verb's length before it. So the pattern is tried on that end alone, not at every
    /// position of a long line — most of a mail's lines are paragraphs, and this filter runs on every one of them.
    private static bool EndsLikeAttribution(string line)
    {
        var run = line.Length;
        while (run > 0 && (char.IsWhiteSpace(line[run - 1]) || line[run - 1] is ':' or '：' or '-'))
            run--;
        return AttributionEnd().IsMatch(line.AsSpan(Math.Max(0, run - LongestAttributionVerb)));
    }

    private static bool IsMarkerCandidate(string line) => line.Length is > 0 and <= MaxMarkerLineLength;

    /// A date line that a client wrapped off the attribution below it: it opens like one, holds a date and
    /// breaks after a comma. "On 1 Nov 2026 I ordered it" above an attribution stays the customer's.
    private static bool IsAttributionOpening(string line) =>
        line.Length is > 0 and <= 80 && !IsQuoted(line) && line.EndsWith(',')
        && AttributionIntro().IsMatch(line) && (Year().IsMatch(line) || Time().IsMatch(line));

    private static bool IsAttribution(string header)
    {
        if (header.Length > 400)
            return false;
        var hasEmail = Email().IsMatch(header);
        var hasTime = Time().IsMatch(header);
        var hasYear = Year().IsMatch(header);
        if (!(hasEmail || hasTime || hasYear))
            return false;
        var introduced = AttributionIntro().IsMatch(header);
        if (AttributionVerbAtEnd().IsMatch(header))
            return introduced || (hasEmail && (hasTime || hasYear));
        // "2017-11-24 16:32 GMT+01:00 Desk <desk@example.com>:", "Am 13.12.2017 schrieb Desk <desk@…>:": the
        // address closes the line, so "On 20.11. at 15:14 I called desk@shop.example and they said:" is text.
        return introduced && hasEmail && (hasTime || hasYear) && BracketedAddressAtEnd().IsMatch(header);
    }

    /// Two or more consecutive header fields ("From:", "Sent:", "To:", "Subject:" and their translations), one
    /// of them the sender, starting at <paramref name="start"/>.
    private static bool IsHeaderBlock(List<string> lines, int start)
    {
        if (!HeaderField().IsMatch(lines[start]))
            return false;
        var fields = 0;
        var hasFrom = false;
        var fromHasAddress = false;
        var hasDate = false;
        for (var i = start; i < lines.Count && i < start + 12; i++)
        {
            var match = IsMarkerCandidate(lines[i]) ? HeaderField().Match(lines[i]) : Match.Empty;
            if (!match.Success)
            {
                // A sender's address wrapped onto its own line: "From: Human Resources\n<hr@example.com>".
                if (fields > 0 && IsMarkerCandidate(lines[i]) && WrappedAddress().IsMatch(lines[i]))
                {
                    fromHasAddress |= hasFrom;
                    continue;
                }
                break;
            }
            fields++;
            var name = match.Groups["name"].Value;
            if (FromField().IsMatch(name))
            {
                hasFrom = true;
                fromHasAddress |= Email().IsMatch(match.Groups["value"].Value);
            }
            else if (DateField().IsMatch(name))
            {
                hasDate = true;
            }
        }
        return hasFrom && (fields >= 3 || (fields >= 2 && hasDate)) && (fromHasAddress || fields >= 3);
    }

    // ---- Signatures ---------------------------------------------------------------------------------------

    private static List<string> RemoveSignatures(List<string> lines, HashSet<int> rfcDelimiters)
    {
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (IsQuoted(line) || !IsMarkerCandidate(line))
                continue;
            if (MobileSignature().IsMatch(line.Trim()))
                return lines.Take(i).ToList();
            if (SignatureDelimiter().IsMatch(line) && IsSignatureBlock(lines, i + 1, rfcDelimiter: rfcDelimiters.Contains(i)))
                return lines.Take(i).ToList();
            if (FooterDelimiter().IsMatch(line) && UnquotedLinesAfter(lines, i) <= MaxFooterLines)
                return lines.Take(i).ToList();
        }
        return lines;
    }

    /// What follows "-- " (RFC 3676, written by mail clients) is a signature when it is not long. What follows a
    /// bare "--", which people also type as a rule between paragraphs, must also look like one: a few short
    /// lines, no question.
    private static bool IsSignatureBlock(List<string> lines, int from, bool rfcDelimiter)
    {
        var block = lines.Skip(from).Where(l => l.Length > 0 && !IsQuoted(l)).ToList();
        if (rfcDelimiter)
            return block.Count <= MaxSignatureLines;
        return block.Count <= MaxBareSignatureLines && block.All(l => l.Length <= MaxBareSignatureLineLength && !l.TrimEnd().EndsWith('?'));
    }

    private static int UnquotedLinesAfter(List<string> lines, int index) =>
        lines.Skip(index + 1).Count(l => l.Length > 0 && !IsQuoted(l));

    /// "Best regards,\nAna Souza\nShop Ltd" at the very end. Kept when what follows the closing could be
    /// content: a question, a P.S., a long line, or more than a name block.
    private static List<string> RemoveSignOff(List<string> lines)
    {
        var last = lines.FindLastIndex(l => l.Length > 0);
        for (var i = last; i > 0 && i >= last - MaxSignOffLines; i--)
        {
            if (!IsMarkerCandidate(lines[i]) || !SignOff().IsMatch(lines[i].Trim()))
                continue;
            var after = lines.Skip(i + 1).Where(l => l.Length > 0).ToList();
            var nameBlock = after.All(l => l.Length <= MaxSignOffLineLength && !l.Contains('?') && !PostScript().IsMatch(l) && !IsQuoted(l));
            var hasContentBefore = lines.Take(i).Any(l => l.Length > 0);
            return nameBlock && hasContentBefore ? lines.Take(i).ToList() : lines;
        }
        return lines;
    }

    // ---- ">" quotes ---------------------------------------------------------------------------------------

    private enum Kind { Blank, Text, Quote, Attribution }

    /// Removes the quoted history after the customer's last own line (and its attribution), and a single quote
    /// at the very top that they answered below (bottom-posting). Quotes between their lines stay as context.
    private static List<string> RemoveQuotes(List<string> lines)
    {
        var kinds = Classify(lines);

        var end = kinds.Count;
        var removedQuote = false;
        while (end > 0 && kinds[end - 1] is Kind.Blank or Kind.Quote)
        {
            removedQuote |= kinds[end - 1] == Kind.Quote;
            end--;
        }
        if (!removedQuote)
            end = kinds.Count;
        else
            while (end > 0 && kinds[end - 1] is Kind.Blank or Kind.Attribution)
                end--;

        var start = 0;
        var firstText = kinds.FindIndex(0, end, k => k == Kind.Text);
        if (firstText > 0 && kinds.Take(firstText).Contains(Kind.Quote)
            && !kinds.Skip(firstText).Take(end - firstText).Contains(Kind.Quote))
            start = firstText;

        return lines.Skip(start).Take(end - start).ToList();
    }

    private static List<Kind> Classify(List<string> lines)
    {
        var kinds = lines.Select(l => l.Length == 0 ? Kind.Blank : IsQuoted(l) ? Kind.Quote : Kind.Text).ToList();

        // A quoted line wrapped by the sender's client continues without its ">": "> … pharetra d\nignissim odio?\n>".
        for (var i = 1; i < kinds.Count - 1; i++)
            if (kinds[i] == Kind.Text && kinds[i - 1] == Kind.Quote && kinds[i + 1] == Kind.Quote)
                kinds[i] = Kind.Quote;

        for (var i = 0; i < lines.Count; i++)
        {
            if (kinds[i] != Kind.Text || AttributionEndingAt(lines, i) is not { } start)
                continue;
            var next = kinds.FindIndex(i + 1, k => k != Kind.Blank);
            if (next >= 0 && kinds[next] == Kind.Quote)
                for (var j = start; j <= i; j++)
                    kinds[j] = Kind.Attribution;
        }
        return kinds;
    }

    /// A line of quoted history. ">:" alone is not one: it ends an attribution whose address wrapped
    /// ("… skrev Test &lt;test@example.com\n&gt;:").
    private static bool IsQuoted(string line) =>
        line.TrimStart().StartsWith('>') && !(line.Length < 8 && WrappedAttributionEnd().IsMatch(line));

    /// Joins the lines, dropping trailing separators and blank lines; trims the result.
    private static string Join(List<string> lines)
    {
        var end = lines.Count;
        while (end > 0 && (lines[end - 1].Trim().Length == 0 || Decoration().IsMatch(lines[end - 1])))
            end--;
        return string.Join('\n', lines.Take(end)).Trim();
    }

    // ---- Patterns -----------------------------------------------------------------------------------------
    // Every pattern runs on one short line or a few joined lines; the timeout is a guard, and NewText keeps the
    // whole text if it ever fires.

    private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.IgnoreCase;
    private const int TimeoutMs = 1000;

    /// Cheap filter for a line that may end an attribution: it ends with a "wrote" verb or a colon.
    [GeneratedRegex(
        @"(?:wrote|writes|écrit|escribió|escreveu|scritto|scrisse|schrieb|schreef|skrev|napisał(?:\(a\)|a)?|pisze|kirjoitti|написал(?:\(а\)|а)?|пишет|írta|yazdı|έγραψε|napsal(?:\(a\)|a)?|scrie|a scris|写道|寫道|작성|のメッセージ|のメール|rašė|rakstīja|napisao)\s*[:：]?\s*-*$|[:：]\s*-*$",
        Options, TimeoutMs)]
    private static partial Regex AttributionEnd();

    [GeneratedRegex(
        @"(?:\bwrote|\bwrites|\bécrit|\bescribió|\bescreveu|\bscritto|\bscrisse|\bschrieb|\bschreef|\bskrev|\bnapisał(?:\(a\)|a)?|\bpisze|\bkirjoitti|\bнаписал(?:\(а\)|а)?|\bпишет|\bírta|\byazdı|\bέγραψε|\bnapsal(?:\(a\)|a)?|\bscrie|\ba scris|写道|寫道|작성|のメッセージ|のメール|\brašė|\brakstīja|\bnapisao)\s*[:：]?\s*-*$",
        Options, TimeoutMs)]
    private static partial Regex AttributionVerbAtEnd();

    /// How attributions begin: "On", "Le", "El", "Il", "Em", "Am", "Op", "W dniu", "在", a date, a weekday.
    [GeneratedRegex(
        @"^[\s\-]*(?:(?:On|Le|El|Il|Em|Am|Op|Den|Dne|Dňa|Dnia|W\s+dniu|In\s+data|På|Kello|Al|Na)\s|[0-9]|[在於于]|\p{L}{1,4}[.,]?\s+[0-9]|\p{L}{2,8}day\b|(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\w*[,\s])",
        Options, TimeoutMs)]
    private static partial Regex AttributionIntro();

    [GeneratedRegex(@"[^\s<>()""'\[\]:;,]+@[^\s<>()""'\[\]:;,]+\.[^\s<>()""'\[\]:;,]+", Options, TimeoutMs)]
    private static partial Regex Email();

    [GeneratedRegex(@"(?<![0-9])[0-2]?[0-9][:.h][0-5][0-9](?![0-9])|[上下]午\s*[0-9]", Options, TimeoutMs)]
    private static partial Regex Time();

    [GeneratedRegex(@"(?<![0-9])(?:19|20)[0-9]{2}(?![0-9])|[0-9]年", Options, TimeoutMs)]
    private static partial Regex Year();

    [GeneratedRegex(@"^\s*>\s*[:：]\s*$", Options, TimeoutMs)]
    private static partial Regex WrappedAttributionEnd();

    [GeneratedRegex(@"@[^\s<>]*\s*[>\])]\s*[:：]\s*-*$", Options, TimeoutMs)]
    private static partial Regex BracketedAddressAtEnd();

    /// "-----Original Message-----", "------------------ 原始邮件 ------------------", "-----Ursprüngliche Nachricht-----".
    [GeneratedRegex(
        @"^\s*[-_=*]{2,}\s*(?:Original\s+Message|Original|Reply\s+Message|Replied\s+Message|原始邮件|原始郵件|原邮件|原郵件|邮件原件|郵件原件|原始信息|原始訊息|回复的原邮件|原始信件|Ursprüngliche\s+Nachricht|Originalnachricht|Message\s+d'origine|Message\s+original|Mensaje\s+original|Mensagem\s+original|Messaggio\s+originale|Oorspronkelijk\s+bericht|Origineel\s+bericht|Oprindelig\s+(?:besked|meddelelse)|Opprinnelig\s+melding|Ursprungligt\s+meddelande|Alkuperäinen\s+viesti|Wiadomość\s+oryginalna|Oryginalna\s+wiadomość|Исходное\s+сообщение|Původní\s+zpráva|Pôvodná\s+správa|Eredeti\s+üzenet|Orijinal\s+Mesaj|元のメッセージ|元のメール|オリジナル\s*メッセージ|원본\s*메시지|Αρχικό\s+μήνυμα)\s*[-_=*]*\s*$",
        Options, TimeoutMs)]
    private static partial Regex OriginalMessageSeparator();

    /// A short label between two runs of dashes (or _ = *): "----- Původní e-mail -----", "-----邮件原件-----".
    [GeneratedRegex(@"^\s*[-_=*]{3,}\s*[^-_=*\s].{0,40}?\s*[-_=*]{3,}\s*$", Options, TimeoutMs)]
    private static partial Regex FramedLabel();

    /// "---------- Forwarded message ---------", "Begin forwarded message:", "-------- 转发邮件信息 --------".
    [GeneratedRegex(
        @"^\s*(?:[-_=*]{2,}\s*(?:Forwarded\s+message|Forwarded\s+Message|Weitergeleitete\s+Nachricht|Message\s+transféré|Mensaje\s+reenviado|Mensagem\s+encaminhada|Messaggio\s+inoltrato|Doorgestuurd\s+bericht|Videresendt\s+(?:besked|melding|meddelelse)|Vidarebefordrat\s+meddelande|Välitetty\s+viesti|Przekazana\s+wiadomość|Wiadomość\s+przekazana|Пересылаемое\s+сообщение|Пересланное\s+сообщение|转发邮件信息|转发邮件|轉寄郵件|转发的邮件|転送メッセージ|전달된\s*메시지)\s*[-_=*]*|Begin\s+forwarded\s+message\s*:|Anfang\s+der\s+weitergeleiteten\s+Nachricht\s*:|Début\s+du\s+message\s+réexpédié\s*:|Inicio\s+del\s+mensaje\s+reenviado\s*:|转发的邮件\s*[:：]|以下为转发的邮件\s*[:：]?)\s*$",
        Options, TimeoutMs)]
    private static partial Regex ForwardedMessage();

    [GeneratedRegex(
        @"^\s*\*?(?<name>From|Sent|Date|To|Cc|Bcc|Subject|Reply-To|De|Envoyé(?:\s+le)?|Date|À|A|Objet|Copie\s+à|Message\s+du|Von|Gesendet|An|Betreff|Datum|Kopie|Van|Verzonden|Aan|Onderwerp|Da|Inviato|Oggetto|Data|Para|Enviado(?:\s+el)?|Asunto|Fecha|Assunto|Fra|Sendt|Til|Emne|Från|Skickat|Till|Ämne|Kopia|Od|Odesláno|Komu|Předmět|Wysłano|Wysłane|Do|Temat|DW|От|Отправлено|Кому|Тема|Дата|Копия|Lähettäjä|Lähetetty|Vastaanottaja|Aihe|Kimden|Gönderildi|Kime|Konu|发件人|發件人|发送时间|發送時間|收件人|主题|主題|抄送|日期|时间|寄件者|寄件日期|收件者|主旨|差出人|送信日時|宛先|件名|日付|보낸\s*사람|받는\s*사람|보낸\s*날짜|제목|날짜)\s*\*?\s*[:：]\s*\*?(?<value>.*)$",
        Options, TimeoutMs)]
    private static partial Regex HeaderField();

    [GeneratedRegex(@"^(?:From|De|Von|Van|Da|Fra|Från|Od|От|Lähettäjä|Kimden|发件人|發件人|寄件者|差出人|보낸\s*사람)$", Options, TimeoutMs)]
    private static partial Regex FromField();

    [GeneratedRegex(@"^(?:Sent|Date|Envoyé(?:\s+le)?|Message\s+du|Gesendet|Datum|Verzonden|Inviato|Data|Enviado(?:\s+el)?|Fecha|Sendt|Skickat|Odesláno|Wysłano|Wysłane|Отправлено|Дата|Lähetetty|Gönderildi|发送时间|發送時間|日期|时间|寄件日期|送信日時|日付|보낸\s*날짜|날짜)$", Options, TimeoutMs)]
    private static partial Regex DateField();

    [GeneratedRegex(@"^\s*[<\[]?(?:mailto:)?[^\s@]+@[^\s]+[>\]]?\s*[;,]?$", Options, TimeoutMs)]
    private static partial Regex WrappedAddress();

    /// "-- " (RFC 3676) and its trimmed form "--".
    [GeneratedRegex(@"^--\s*$", Options, TimeoutMs)]
    private static partial Regex SignatureDelimiter();

    /// A mailing-list footer starts under a line of underscores.
    [GeneratedRegex(@"^\s*_{2,}\s*$", Options, TimeoutMs)]
    private static partial Regex FooterDelimiter();

    /// The line a mobile client appends: "Sent from my iPhone", "Sent from Mail for Windows", "Get Outlook for
    /// iOS", "发自我的iPhone", "从我的 iPhone 发送", "Von meinem iPhone gesendet". A whole line only, short, without
    /// a sentence's punctuation, so "Sent from my desk, is much easier…" and "Sent from a magnificent torch of
    /// pixels" are the customer's.
    [GeneratedRegex(
        @"^(?:Sent\s+from\s+my\s+[\p{L}\p{N}][\p{L}\p{N}\-]*(?:\s+[\p{L}\p{N}][\p{L}\p{N}\-]*){0,4}|Sent\s+from\s+\p{Lu}[\p{L}\p{N}\-]*(?:\s+[\p{L}\p{N}][\p{L}\p{N}\-]*){0,4}|Sent\s+(?:with|via|using)\s+\p{Lu}[\p{L}\p{N}]*(?:\s+[\p{L}\p{N}]+){0,3}|Get\s+Outlook\s+for\s+\w+|Envoyé\s+(?:de\s+mon|depuis\s+mon|depuis|à\s+partir\s+de)\s+[^,.;!?]{1,40}|Télécharger\s+Outlook\s+pour\s+\w+|Von\s+meinem\s+[^,.;!?]{1,40}\s+gesendet|Gesendet\s+(?:von|mit)\s+(?:meinem|der|\p{Lu})[^,.;!?]{1,40}|Enviado\s+(?:desde|do|de)\s+(?:mi|meu|o\s+meu|my)?\s*[^,.;!?]{1,40}|Inviato\s+da\s+[^,.;!?]{1,40}|Verzonden\s+(?:vanaf|met)\s+[^,.;!?]{1,40}|Verstuurd\s+vanaf\s+[^,.;!?]{1,40}|Skickat\s+från\s+[^,.;!?]{1,40}|Sendt\s+fra\s+[^,.;!?]{1,40}|Lähetetty\s+[^,.;!?]{1,40}|Wysłane\s+z\s+[^,.;!?]{1,40}|Отправлено\s+(?:с|из)\s+[^,.;!?]{1,40}|(?:发自|来自|來自|寄自)我的\s*\S{1,20}|发自\s*\S{0,12}(?:邮箱大师|邮箱|手机|客户端|Mail|App)|(?:从|從)我的\s*\S{1,20}\s*(?:发送|傳送|發送)|\S{1,20}から送信)(?:\s*<[^>\s]+>|\s*\([^)\s]+\))?$",
        RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex MobileSignature();

    [GeneratedRegex(
        @"^(?:(?:(?:best|kind|kindest|warm|warmest|many\s+thanks\s+and|thanks\s+and|with\s+kind|with\s+best)\s+)?regards|best\s+wishes|cheers|cordialement|bien\s+(?:à\s+vous|cordialement)|salutations\s+distinguées|mit\s+freundlichen\s+gr(?:ü|ue|u)(?:ß|ss)en|freundliche\s+gr(?:ü|ue)(?:ß|ss)e|viele\s+gr(?:ü|ue)(?:ß|ss)e|beste\s+gr(?:ü|ue)(?:ß|ss)e|liebe\s+gr(?:ü|ue)(?:ß|ss)e|mfg|saludos(?:\s+cordiales)?|un\s+saludo|atentamente|cordiali\s+saluti|distinti\s+saluti|met\s+vriendelijke\s+groet(?:en)?|vriendelijke\s+groet(?:en)?|pozdrawiam|z\s+poważaniem|с\s+уважением|med\s+vänlig\s+hälsning|vänliga\s+hälsningar|med\s+venlig\s+hilsen|venlig\s+hilsen|ystävällisin\s+terveisin|此致(?:\s*敬礼)?|祝好|顺颂商祺|顺祝商祺|敬上|敬具|よろしくお願い(?:いた)?します)\s*[,.!！。，]*$",
        Options, TimeoutMs)]
    private static partial Regex SignOff();

    [GeneratedRegex(@"^\s*P\.?\s?S\b", Options, TimeoutMs)]
    private static partial Regex PostScript();

    /// A line that only separates: "-----", "_____", "=====", "*****".
    [GeneratedRegex(@"^\s*[-_=*~—–]+\s*$", Options, TimeoutMs)]
    private static partial Regex Decoration();
}
