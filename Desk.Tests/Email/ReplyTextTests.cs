using Desk.Tests.Support;
using System.Diagnostics;
using System.Text;
using Desk.Domain.Email;
using MimeKit;
using Xunit.Abstractions;

namespace Desk.Tests.Email;

/// <summary>
/// <see cref="ReplyText.NewText"/> against three public corpora of real replies, and hand-made cases for the
/// clients our customers use (Gmail, Outlook, Apple Mail, QQ Mail, 163) in English and Chinese.
/// </summary>
/// <remarks>
/// How each corpus pairs an input with its expected new text:
/// <list type="bullet">
/// <item>mailgun/talon <c>tests/fixtures/standard_replies</c>: the text/plain part of each <c>X.eml</c>; the
/// expected text is <c>X_reply_text</c> when it exists, otherwise "Hello" (talon's own test_standard_replies
/// does the same). talon strips quotations only, so its two expectations that keep a signature
/// (iphone: "Sent from my iPhone", sparrow: "-- " block) disagree with Desk's rule and count as misses.</item>
/// <item>github/email_reply_parser <c>test/emails</c>: the repository ships bodies only; its Ruby test states what
/// is visible (fragments not hidden). The table below turns each assertion into the expected text.</item>
/// <item>crisp-oss/email-reply-parser <c>test/fixtures</c>: its test.js asserts the first fragment equals a fixed
/// lorem paragraph for every fixture that starts with it, exact strings for a few, and partial matches for the
/// rest; for those the table gives the visible text consistent with the assertion, and says so.</item>
/// </list>
/// Expected texts are given as "the input's lines before the line starting with …" so no corpus text is copied.
/// </remarks>
public sealed class ReplyTextTests(ITestOutputHelper output)
{
    // ---- Corpora ------------------------------------------------------------------------------------------

    [CorpusFact]
    public void NewText_TalonStandardReplies_MatchesMostExpectedReplies()
    {
        var folder = Path.Combine(Corpora.Path("mailgun-talon"), "tests", "fixtures", "standard_replies");
        var pairs = Directory.GetFiles(folder, "*.eml").Order(StringComparer.Ordinal).Select(path =>
        {
            using var message = MimeMessage.Load(path);
            var replyText = Path.ChangeExtension(path, null) + "_reply_text";
            var expected = File.Exists(replyText) ? File.ReadAllText(replyText) : "Hello";
            return new Pair(Path.GetFileName(path), message.TextBody ?? "", expected);
        });

        // Measured: 10 of 12. The two misses are iphone and sparrow, where talon keeps the signature.
        AssertShareAtLeast("mailgun-talon standard_replies", pairs, floor: 9.0 / 12);
    }

    [CorpusFact]
    public void NewText_GithubReplyParserBodies_MatchesMostVisibleTexts()
    {
        var folder = Path.Combine(Corpora.Path("github-email_reply_parser"), "test", "emails");
        var pairs = Directory.GetFiles(folder, "*.txt").Order(StringComparer.Ordinal).Select(path =>
        {
            var name = Path.GetFileNameWithoutExtension(path);
            var input = File.ReadAllText(path);
            var expected = GithubVisibleText.GetValueOrDefault(name);
            return new Pair(name, input, expected?.Text(input), expected?.Ours ?? false);
        });

        // Measured: 20 of 22. The misses are email_1_1 and email_1_3, where github hides the "-Abhishek Kona" line.
        AssertShareAtLeast("github email_reply_parser", pairs, floor: 19.0 / 22);
    }

    [CorpusFact]
    public void NewText_CrispReplyParserFixtures_MatchesMostFirstFragments()
    {
        var folder = Path.Combine(Corpora.Path("crisp-email-reply-parser"), "test", "fixtures");
        var pairs = Directory.GetFiles(folder, "*.txt").Order(StringComparer.Ordinal).Select(path =>
        {
            var name = Path.GetFileNameWithoutExtension(path);
            var input = File.ReadAllText(path);
            var expected = CrispVisibleText.GetValueOrDefault(name);
            if (expected is null && Normalise(input).StartsWith(Normalise(CrispCommonFirstFragment), StringComparison.Ordinal))
                expected = Stated(Exactly(CrispCommonFirstFragment));
            return new Pair(name, input, expected?.Text(input), expected?.Ours ?? false);
        });

        // Measured: 90 of 90 (61 stated by test.js, 29 read by Desk where it checks only part).
        AssertShareAtLeast("crisp email-reply-parser", pairs, floor: 87.0 / 90);
    }

    /// github/email_reply_parser's visible text (the fragments not hidden), from the assertions in
    /// test/email_reply_parser_test.rb; "Ours" where that test only times the body or does not use it. Its signature rule hides a "-Name" line; Desk keeps it (see crisp's
    /// email_1 and email_3, which keep the same line), so email_1_1, email_1_3 and email_long_quote differ.
    private static readonly Dictionary<string, Expectation> GithubVisibleText = new()
    {
        ["correct_sig"] = Stated(Until("-- ")),                                      // the "-- \nrick" fragment is hidden
        ["email_1_1"] = Stated(Until("-Abhishek Kona")),                             // fragments [text, sig, sig]
        ["email_1_2"] = Stated(UntilLast(">")),                                      // visible: Hi, / On … wrote: + quote / You can list …
        ["email_1_3"] = Stated(Until("-Abhishek Kona")),                             // [text, sig, quote, …] only the first visible
        ["email_1_4"] = Stated(Until("On Aug 22")),
        ["email_1_5"] = Stated(Whole),                                               // one fragment
        ["email_1_6"] = Stated(Until("On Dec 16")),                                  // "Sent from a magnificent torch" is not a signature
        ["email_1_7"] = Stated(Until("On Tue, Sep 25")),
        ["email_1_8"] = Stated(UntilLast(">")),                                      // inline replies visible up to "and under this."
        ["email_2_1"] = Stated(Exactly("Outlook with a reply")),
        ["email_2_2"] = Stated(Exactly("Outlook with a reply directly above line")),
        ["email_2_3"] = Stated(Exactly("Outlook with a reply directly above line")),
        ["email_BlackBerry"] = Stated(Exactly("Here is another email")),
        ["email_iPhone"] = Stated(Exactly("Here is another email")),
        ["email_multi_word_sent_from_my_mobile_device"] = Stated(Exactly("Here is another email")),
        ["email_sent_from_my_not_signature"] = Stated(Whole),
        ["email_bullets"] = Stated(Until("On Fri, Feb 24")),                         // test_retains_bullets
        ["email_one_is_not_on"] = Stated(Until("On Oct 1, 2012")),
        ["email_sig_delimiter_in_middle_of_line"] = Stated(Whole),                   // one fragment
        ["greedy_on"] = Ours(Until("On 9 Jan 2014")),                                // "On your remote host" is text
        ["pathological"] = Ours(Until("On Dec 8, 2013")),
        ["email_long_quote"] = Ours(Until("___")),                                   // the ">>>>" line sits between text lines
    };

    /// crisp-oss/email-reply-parser: fixtures not listed here start with the lorem paragraph that test.js
    /// asserts as their first fragment. Stated: test.js gives the string ("exact"), a single fragment, or the
    /// first fragment followed by the quote header ("first"). Ours: test.js checks only part, or does not use
    /// the fixture; the text given is Desk's reading, consistent with what test.js does check.
    private static readonly Dictionary<string, Expectation> CrispVisibleText = new()
    {
        ["correct_sig"] = Stated(Until("--")),                                       // exact: "--\nrick" is the hidden signature
        ["sig_no_empty_line"] = Stated(Until("--")),                                 // exact
        ["email_1"] = Stated(Until("__")),                                           // exact: keeps "-Abhishek Kona"
        ["email_2"] = Stated(UntilLast(">")),                                        // first: Hi, / On … / You can list …
        ["email_3"] = Stated(Until("On 01/03/11")),                                  // exact: keeps "-Abhishek Kona"
        ["email_4"] = Stated(Until("On Aug 22")),
        ["email_5"] = Stated(Whole),                                                 // one fragment
        ["email_6"] = Stated(Until("On Dec 16")),
        ["email_19"] = Ours(Until("On Dec 16")),                                     // as email_6
        ["email_20"] = Ours(Until(">")),                                             // "On Thursday." is text
        ["email_21"] = Ours(Whole),                                                  // "On Thursday:" is text
        ["email_2_1"] = Ours(Until(" -----")),                                       // as github's email_2_1
        ["email_blackberry"] = Ours(Exactly("Here is another email")),               // as github's
        ["email_iphone"] = Ours(Exactly("Here is another email")),                   // as github's
        ["email_multi_word_sent_from_my_mobile_device"] = Ours(Exactly("Here is another email")), // as github's
        ["email_sent_from_my_not_signature"] = Ours(Whole),                          // as github's
        ["email_bullets"] = Ours(Until("On Fri, Feb 24")),                           // as github's
        ["email_custom_quote_header"] = Ours(Until("2013.02.08.")),                  // Hungarian "… írta:"
        ["email_customer_quote_header_2"] = Ours(Until("From:")),                    // ours
        ["email_customer_quote_header_3"] = Ours(Until("      De :")),               // ours
        ["email_emoji"] = Stated(Whole),                                             // exact: the "—" block is kept
        ["email_not_a_signature"] = Stated(Whole),                                   // first: one fragment, not a signature
        ["email_not_a_signature_2"] = Stated(Whole),                                 // first: one fragment
        ["email_one_is_not_on"] = Stated(Until("On Oct 1, 2012")),
        ["email_reply_header"] = Stated(Until("On Wed, Dec 9")),                     // first
        ["email_sent_from"] = Stated(Until("Sent from TypeApp")),                    // exact
        ["email_thread"] = Ours(Until("On Nov 21, 2014,")),                          // a header wrapped over three lines
        ["email_unquoted_reply"] = Ours(Until("On Nov 26, 2013")),                   // ours
        ["email_with_date_headers"] = Ours(Whole),                                   // "[DATE]" is a placeholder, not a header
        ["email_with_from_headers"] = Ours(Whole),                                   // "[FROM]" likewise
        ["email_with_regards"] = Stated(Until("Regards,")),                          // exact
        ["email_zoho"] = Stated(Until("---- On Wed")),                               // exact
        ["email_tricky_1_on_false_positive"] = Stated(Whole),                        // first: one fragment
        ["email_tricky_2_url_with_wrote"] = Ours(Until("Best regards,")),            // the closing is a signature in crisp too
        ["email_tricky_3_code_block"] = Ours(Whole),                                 // test.js checks the code is in the first fragment
        ["email_tricky_4_from_in_body"] = Ours(Whole),                               // "from:" mid-sentence is text
        ["email_tricky_6_regards_in_sentence"] = Ours(Whole),                        // test.js checks the first fragment is no signature
        ["email_tricky_7_multiple_dashes"] = Ours(Whole),                            // markdown rules are content
        ["email_tricky_8_sent_from_in_content"] = Ours(Whole),                       // test.js checks the sentence is in the first fragment
        ["email_tricky_9_nested_quotes"] = Ours(Until("On Dec 15, 2024")),           // test.js checks the first fragment's words
        ["email_tricky_11_double_signature"] = Ours(Until("Best regards,")),         // closing, "--" block, mobile line
        ["email_tricky_13_timestamp_variations"] = Stated(Whole),                    // first: one fragment
        ["email_tricky_16_unicode_signatures"] = Ours(Whole),                        // crisp keeps "Cheers 🎉" and the "—" block
        ["email_tricky_17_forward_header"] = Ours(Whole),                            // Desk keeps forwarded messages
        ["email_tricky_18_inline_reply"] = Ours(Whole),                              // inline answers keep their quotes
        ["email_tricky_19_quote_without_header"] = Ours(Whole),                      // likewise
        ["email_tricky_20_html_entities"] = Ours(Until("On Dec 15, 2024")),          // test.js checks the first fragment's words
    };

    private const string CrispCommonFirstFragment =
        "Fusce bibendum, quam hendrerit sagittis tempor, dui turpis tempus erat, pharetra sodales ante sem sit amet metus.\n" +
        "Nulla malesuada, orci non vulputate lobortis, massa felis pharetra ex, convallis consectetur ex libero eget ante.\n" +
        "Nam vel turpis posuere, rhoncus ligula in, venenatis orci. Duis interdum venenatis ex a rutrum.\n" +
        "Duis ut libero eu lectus consequat consequat ut vel lorem. Vestibulum convallis lectus urna,\n" +
        "et mollis ligula rutrum quis. Fusce sed odio id arcu varius aliquet nec nec nibh.";

    // ---- Hand-made: clients and languages -----------------------------------------------------------------

    [Fact]
    public void NewText_GmailEnglish_KeepsOnlyTheNewText()
    {
        var reply = "Thanks, the refund arrived.\r\n\r\nOn Fri, Nov 20, 2026 at 3:14 PM Desk <desk@shop.example> wrote:\r\n\r\n" +
                    "> Hello Ana,\r\n> your refund is on its way.\r\n> Desk\r\n";
        Assert.Equal("Thanks, the refund arrived.", ReplyText.NewText(reply));
    }

    [Fact]
    public void NewText_OutlookEnglishHeaderBlock_KeepsOnlyTheNewText()
    {
        var reply = "The replacement is broken too.\n\n________________________________\n" +
                    "From: Desk <desk@shop.example>\nSent: Friday, November 20, 2026 3:14 PM\nTo: Ana Souza <ana@example.com>\n" +
                    "Subject: RE: [#1042] Broken kettle\n\nHello Ana,\nwe have sent a replacement.\n";
        Assert.Equal("The replacement is broken too.", ReplyText.NewText(reply));
    }

    [Fact]
    public void NewText_OutlookHeaderWithNamesOnly_KeepsOnlyTheNewText()
    {
        var reply = "Still waiting.\n\nFrom: Shop Desk\nSent: Friday, November 20, 2026 3:14 PM\nTo: Ana Souza\nSubject: RE: Broken kettle\n\nHello Ana";
        Assert.Equal("Still waiting.", ReplyText.NewText(reply));
    }

    [Fact]
    public void NewText_OutlookOriginalMessageSeparator_KeepsOnlyTheNewText()
    {
        var reply = "See my photo.\n\n-----Original Message-----\nFrom: desk@shop.example\nSent: Friday\n\nHello";
        Assert.Equal("See my photo.", ReplyText.NewText(reply));
    }

    [Fact]
    public void NewText_QqMailChineseOriginalMessage_KeepsOnlyTheNewText()
    {
        var reply = "退款还没有到账。\n\n\n------------------ 原始邮件 ------------------\n" +
                    "发件人: \"Desk\"<desk@shop.example>;\n发送时间: 2026年11月20日(星期五) 下午3:14\n" +
                    "收件人: \"Ana\"<ana@example.com>;\n主题: 回复：[#1042] 水壶坏了\n\n您好，退款已处理。";
        Assert.Equal("退款还没有到账。", ReplyText.NewText(reply));
    }

    [Fact]
    public void NewText_ChineseOutlookHeaderBlockWithoutSeparator_KeepsOnlyTheNewText()
    {
        var reply = "收到，谢谢。\n\n发件人: Desk <desk@shop.example>\n发送时间: 2026年11月20日 15:14\n" +
                    "收件人: Ana <ana@example.com>\n主题: 答复: 水壶坏了\n\n您好，快递明天上门取件。";
        Assert.Equal("收到，谢谢。", ReplyText.NewText(reply));
    }

    [Fact]
    public void NewText_FoxmailHeaderWithFullWidthColons_KeepsOnlyTheNewText()
    {
        var reply = "已经收到了，但是颜色不对。\n\n发件人：Desk <desk@shop.example>\n发送时间：2026年11月20日(星期五) 下午3:14\n" +
                    "收件人：Ana <ana@example.com>\n主题：回复：水壶坏了\n\n您好";
        Assert.Equal("已经收到了，但是颜色不对。", ReplyText.NewText(reply));
    }

    [Fact]
    public void NewText_NetEaseMailMasterRepliedMessage_KeepsOnlyTheNewText()
    {
        var reply = "好的，谢谢。\n\n---- 回复的原邮件 ----\n| 发件人 | Desk<desk@shop.example> |\n| 日期 | 2026年11月20日 15:14 |\n| 主题 | 水壶坏了 |";
        Assert.Equal("好的，谢谢。", ReplyText.NewText(reply));
    }

    [Theory]
    [InlineData("Von: Desk <desk@shop.example>\nGesendet: Freitag, 20. November 2026 15:14\nAn: Ana\nBetreff: AW: Wasserkocher")]
    [InlineData("De : Desk <desk@shop.example>\nEnvoyé : vendredi 20 novembre 2026 15:14\nÀ : Ana\nObjet : RE: Bouilloire")]
    [InlineData("De: Desk <desk@shop.example>\nEnviado: viernes, 20 de noviembre de 2026 15:14\nPara: Ana\nAsunto: RE: Hervidor")]
    [InlineData("Van: Desk <desk@shop.example>\nVerzonden: vrijdag 20 november 2026 15:14\nAan: Ana\nOnderwerp: RE: Waterkoker")]
    [InlineData("Od: Desk <desk@shop.example>\nWysłano: piątek, 20 listopada 2026 15:14\nDo: Ana\nTemat: RE: Czajnik")]
    [InlineData("От: Desk <desk@shop.example>\nОтправлено: 20 ноября 2026 г. 15:14\nКому: Ana\nТема: RE: Чайник")]
    [InlineData("Från: Desk <desk@shop.example>\nSkickat: den 20 november 2026 15:14\nTill: Ana\nÄmne: SV: Vattenkokare")]
    [InlineData("差出人: Desk <desk@shop.example>\n送信日時: 2026年11月20日 15:14\n宛先: Ana\n件名: RE: ケトル")]
    [InlineData("寄件者: Desk <desk@shop.example>\n寄件日期: 2026年11月20日 下午 03:14\n收件者: Ana\n主旨: 回覆: 水壺")]
    public void NewText_OutlookHeaderBlockInOtherLanguages_KeepsOnlyTheNewText(string header)
    {
        Assert.Equal("Thank you.", ReplyText.NewText($"Thank you.\n\n{header}\n\nHello Ana"));
    }

    [Fact]
    public void NewText_NetEaseChineseAttribution_KeepsOnlyTheNewText()
    {
        var reply = "好的。\n\n\n在 2026-11-20 15:14:00，\"Desk\" <desk@shop.example> 写道：\n>您好，退款已处理。\n";
        Assert.Equal("好的。", ReplyText.NewText(reply));
    }

    [Theory]
    [InlineData("在 2026年11月20日，下午3:14，Desk <desk@shop.example> 写道：")]
    [InlineData("在 2026年11月20日，下午3:14，Desk <desk@…> 写道：")] // the address hidden by the client
    public void NewText_AppleMailChineseAttribution_KeepsOnlyTheNewText(string attribution)
    {
        var quoted = $"好的，我明天在家。\n\n{attribution}\n\n> 您好，快递明天上门取件。\n> Desk";
        var unquoted = $"好的，我明天在家。\n\n{attribution}\n\n您好，快递明天上门取件。\nDesk";
        Assert.Equal("好的，我明天在家。", ReplyText.NewText(quoted));
        Assert.Equal("好的，我明天在家。", ReplyText.NewText(unquoted));
    }

    [Theory]
    [InlineData("2026年11月20日(金) 15:14 Desk <desk@shop.example>:")]                        // Japanese Gmail
    [InlineData("2026/11/20 15:14、Desk <desk@shop.example>のメール:")]                     // Japanese Apple Mail
    [InlineData("Am 20.11.2026 um 15:14 schrieb Desk <desk@shop.example>:")]                 // German
    [InlineData("Le ven. 20 nov. 2026 à 15:14, Desk <desk@shop.example> a écrit :")]         // French
    [InlineData("El vie, 20 nov 2026 a las 15:14, Desk (<desk@shop.example>) escribió:")]    // Spanish
    [InlineData("Op vr 20 nov. 2026 om 15:14 schreef Desk <desk@shop.example>:")]            // Dutch
    [InlineData("W dniu 20.11.2026 o 15:14, Desk <desk@shop.example> pisze:")]               // Polish
    [InlineData("пт, 20 нояб. 2026 г. в 15:14, Desk <desk@shop.example>:")]                  // Russian
    [InlineData("Den fre 20 nov. 2026 kl 15:14 skrev Desk <desk@shop.example>:")]            // Swedish
    [InlineData("Il giorno ven 20 nov 2026 alle ore 15:14 Desk <desk@shop.example> ha scritto:")] // Italian
    [InlineData("2026년 11월 20일 (금) 오후 3:14, Desk <desk@shop.example>님이 작성:")]           // Korean
    [InlineData("Desk <desk@shop.example> 于2026年11月20日周五 15:14写道：")]                  // Gmail in Chinese
    public void NewText_AttributionInOtherLanguages_KeepsOnlyTheNewText(string attribution)
    {
        var quoted = $"Thank you.\n\n{attribution}\n\n> Hello Ana";
        var unquoted = $"Thank you.\n\n{attribution}\n\nHello Ana,\nyour refund is on its way.";
        Assert.Equal("Thank you.", ReplyText.NewText(quoted));
        Assert.Equal("Thank you.", ReplyText.NewText(unquoted));
    }

    /// <summary>
    /// The filter for a line that may end an attribution looks at the line's end only: the longest verbs, and a verb
    /// followed by spaces, a full-width colon and dashes, still count; a long paragraph above them stays the customer's.
    /// </summary>
    [Theory]
    [InlineData("W dniu 20.11.2026 o 15:14, Desk <desk@shop.example> napisał(a):")]
    [InlineData("пт, 20 нояб. 2026 г. в 15:14, Desk <desk@shop.example> написал(а):")]
    [InlineData("20.11.2026 klo 15.14 Desk <desk@shop.example> kirjoitti: --")]
    [InlineData("Desk <desk@shop.example> 于2026年11月20日周五 15:14写道 ：  --")]
    [InlineData("On Fri, 20 Nov 2026 at 15:14, Desk <desk@shop.example> wrote \t  ")]
    [InlineData("2026/11/20 15:14、Desk <desk@shop.example>のメッセージ")]
    public void NewText_AttributionEndingWithLongVerbOrDecoration_KeepsOnlyTheNewText(string attribution)
    {
        var paragraph = string.Join(" ", Enumerable.Repeat("The kettle leaks from its base; I wrote twice and nobody answered.", 12));
        var quoted = $"{paragraph}\n\n{attribution.Replace("\\t", "\t")}\n\n> Hello Ana";
        Assert.Equal(paragraph, ReplyText.NewText(quoted));
    }

    [Theory]
    [InlineData("-----Ursprüngliche Nachricht-----")]
    [InlineData("-------- Message d'origine --------")]
    [InlineData("-----Mensaje original-----")]
    [InlineData("-----原始邮件-----")]
    [InlineData("-----Исходное сообщение-----")]
    public void NewText_OriginalMessageSeparatorInOtherLanguages_KeepsOnlyTheNewText(string separator)
    {
        Assert.Equal("Thank you.", ReplyText.NewText($"Thank you.\n\n{separator}\nHello Ana"));
    }

    [Theory]
    [InlineData("-----邮件原件-----")]       // Chinese (Simplified) Outlook
    [InlineData("-----郵件原件-----")]       // Chinese (Traditional) Outlook
    [InlineData("-----元のメッセージ-----")]  // Japanese Outlook
    [InlineData("-----原始邮件-----")]
    [InlineData("----- 原始郵件 -----")]
    public void NewText_ChineseOrJapaneseOutlookDividerAboveItsHeaderBlock_GoesWithTheHistory(string divider)
    {
        var reply = $"收到，谢谢。\n\n{divider}\n发件人: Desk <desk@shop.example>\n发送时间: 2026年11月20日 15:14\n" +
                    "收件人: Ana <ana@example.com>\n主题: 答复: 水壶坏了\n\n您好，快递明天上门取件。";
        Assert.Equal("收到，谢谢。", ReplyText.NewText(reply));
        Assert.Equal("收到，谢谢。", ReplyText.NewText($"收到，谢谢。\n\n{divider}\n您好，快递明天上门取件。"));
    }

    [Fact]
    public void NewText_UnknownFramedDividerRightAboveAHeaderBlock_GoesWithTheHistory()
    {
        var reply = "Thank you.\n\n----- Původní e-mail -----\n\nFrom: Desk <desk@shop.example>\nSent: Friday, November 20, 2026 3:14 PM\n" +
                    "To: Ana\nSubject: RE: Kettle\n\nHello Ana";
        Assert.Equal("Thank you.", ReplyText.NewText(reply));
    }

    // ---- Hand-made: quotes --------------------------------------------------------------------------------

    [Fact]
    public void NewText_DatedSentenceRightAboveTheAttribution_StaysTheCustomers()
    {
        var reply = "On 1 Nov 2026 I ordered it\nOn Fri, Nov 20, 2026 at 3:14 PM Desk <desk@shop.example> wrote:\n> Hello";
        Assert.Equal("On 1 Nov 2026 I ordered it", ReplyText.NewText(reply));
    }

    [Fact]
    public void NewText_AttributionWrappedOverThreeLines_IsRemovedWhole()
    {
        var reply = "Still broken.\n\nOn Nov 20, 2026,\nat 15:14,\nDesk <desk@shop.example> wrote:\n\n> Hello";
        Assert.Equal("Still broken.", ReplyText.NewText(reply));
    }

    [Fact]
    public void NewText_AngleBracketQuoteBelow_KeepsOnlyTheNewText()
    {
        var reply = "Yes, please send a new one.\n\n> Would you like a replacement or a refund?\n> \n> Desk";
        Assert.Equal("Yes, please send a new one.", ReplyText.NewText(reply));
    }

    /// Decision: when the customer answers between quotes, the quotes they answer stay (an answer such as
    /// "M, not L." means nothing without its question); only the history after their last line goes.
    [Fact]
    public void NewText_InlineAnswersBetweenQuotes_KeepsTheAnswersWithTheirQuestions()
    {
        var reply = "On Fri, Nov 20, 2026 at 3:14 PM Desk <desk@shop.example> wrote:\n" +
                    "> Which size did you order?\n\nM, not L.\n\n> When did it arrive?\n\nOn Tuesday.\n\n" +
                    "> Kind regards,\n> Desk\n";
        var expected = "On Fri, Nov 20, 2026 at 3:14 PM Desk <desk@shop.example> wrote:\n" +
                       "> Which size did you order?\n\nM, not L.\n\n> When did it arrive?\n\nOn Tuesday.";
        Assert.Equal(expected, ReplyText.NewText(reply));
    }

    [Fact]
    public void NewText_AnswerBelowASingleQuote_KeepsOnlyTheAnswer()
    {
        var reply = "On Fri, Nov 20, 2026 at 3:14 PM Desk <desk@shop.example> wrote:\n> Which size did you order?\n\nM, not L.";
        Assert.Equal("M, not L.", ReplyText.NewText(reply));
    }

    [Fact]
    public void NewText_NoQuoteAtAll_IsUnchangedButForLineEndings()
    {
        Assert.Equal("Hello,\nthe kettle leaks.\n\nAna Souza", ReplyText.NewText("Hello,\r\nthe kettle leaks.\r\n\r\nAna Souza\r\n"));
    }

    [Fact]
    public void NewText_EverythingQuoted_ReturnsTheWholeInputTrimmed()
    {
        var reply = "\n> On Fri, Nov 20, 2026 at 3:14 PM Desk <desk@shop.example> wrote:\n> Hello Ana\n> your refund is on its way.\n\n";
        Assert.Equal(reply.Trim(), ReplyText.NewText(reply));
    }

    [Fact]
    public void NewText_EmptyOrBlank_ReturnsEmpty()
    {
        Assert.Equal("", ReplyText.NewText(""));
        Assert.Equal("", ReplyText.NewText(" \r\n\t\n"));
    }

    [Theory]
    [InlineData("The courier wrote: \"left at the door\" but nothing was there.\nPlease check.")]
    [InlineData("This is what your colleague wrote:\n\"we will call you back\"\nNobody called.")]
    [InlineData("On Monday I wrote:\nthe lid is cracked.\nNo answer since.")]
    [InlineData("I need the invoice that came from: billing@shop.example\nand the one From: the courier.")]
    [InlineData("On 20.11.2026 at 15:14 I called desk@shop.example and they said:\n\"it is on its way\"\nIt is not.")]
    public void NewText_WroteOrFromInTheCustomersOwnWords_DoesNotCut(string reply)
    {
        Assert.Equal(reply, ReplyText.NewText(reply));
    }

    // ---- Hand-made: signatures ----------------------------------------------------------------------------

    [Fact]
    public void NewText_DashDashSignature_IsRemoved()
    {
        Assert.Equal("The lid is cracked.", ReplyText.NewText("The lid is cracked.\n-- \nAna\nShop Ltd"));
    }

    [Theory]
    [InlineData("Sent from my iPhone")]
    [InlineData("发自我的iPhone")]
    [InlineData("从我的 iPhone 发送")]
    [InlineData("Get Outlook for iOS<https://aka.ms/o0ukef>")]
    [InlineData("Von meinem iPhone gesendet")]
    [InlineData("Envoyé de mon iPhone")]
    [InlineData("发自我的华为手机")]
    [InlineData("发自网易邮箱大师")]
    [InlineData("Sent from Mail for Windows")]
    public void NewText_MobileClientLine_IsRemoved(string signature)
    {
        Assert.Equal("Photo attached.", ReplyText.NewText($"Photo attached.\n\n{signature}"));
        Assert.Equal("Photo attached.", ReplyText.NewText($"Photo attached.\n\n{signature}\n\n在 2026年11月20日，下午3:14，Desk <desk@shop.example> 写道：\n> 您好"));
    }

    [Fact]
    public void NewText_BareDashesBetweenParagraphs_AreKept()
    {
        var reply = "The kettle leaks at the base.\n--\nAlso the lid does not close, and the cable is shorter than the listing says, which matters in my kitchen.\nCan you replace it?";
        Assert.Equal(reply, ReplyText.NewText(reply));
    }

    [Fact]
    public void NewText_SentFromInASentence_IsKept()
    {
        var reply = "Here it is\n\nSent from my desk, which is easier than my phone.";
        Assert.Equal(reply, ReplyText.NewText(reply));
    }

    [Fact]
    public void NewText_OnlyAMobileLineAboveTheQuote_KeepsTheMobileLine()
    {
        var reply = "Sent from my iPhone\n\nOn Fri, Nov 20, 2026 at 3:14 PM Desk <desk@shop.example> wrote:\n> Hello";
        Assert.Equal("Sent from my iPhone", ReplyText.NewText(reply));
    }

    [Theory]
    [InlineData("Best regards,\nAna Souza\nShop Ltd")]
    [InlineData("Kind regards\n\nAna")]
    [InlineData("此致\n敬礼\n张三")]
    [InlineData("Mit freundlichen Grüßen\nAna Souza")]
    public void NewText_ShortSignOffBlock_IsRemoved(string signOff)
    {
        Assert.Equal("The box was empty.", ReplyText.NewText($"The box was empty.\n\n{signOff}"));
    }

    [Theory]
    [InlineData("The box was empty.\n\nBest regards,\nAna\nP.S. The order number is 1042.")]
    [InlineData("The box was empty.\n\nRegards,\nAna\nCould you call me back?")]
    [InlineData("Regards,\nAna")]
    public void NewText_SignOffFollowedByContentOrAlone_IsKept(string reply)
    {
        Assert.Equal(reply, ReplyText.NewText(reply));
    }

    [Fact]
    public void NewText_VeryLongLines_FinishesQuickly()
    {
        var reply = "Hello\n" + new string('>', 200_000) + "\n" + string.Concat(Enumerable.Repeat("On and on wrote ", 20_000)) + "\nAna";
        var clock = Stopwatch.StartNew();
        ReplyText.NewText(reply);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
    }

    // ---- Measuring --------------------------------------------------------------------------------------

    /// <param name="Ours">The corpus's own test checks only part of the text; the expected text is Desk's reading.</param>
    private sealed record Pair(string Name, string Input, string? Expected, bool Ours = false);

    private sealed record Expectation(Func<string, string> Text, bool Ours);

    private static Expectation Stated(Func<string, string> text) => new(text, Ours: false);

    private static Expectation Ours(Func<string, string> text) => new(text, Ours: true);

    private void AssertShareAtLeast(string corpus, IEnumerable<Pair> pairs, double floor)
    {
        var all = pairs.ToList();
        var misses = all.Where(p => p.Expected is null || Normalise(ReplyText.NewText(p.Input)) != Normalise(p.Expected)).ToList();
        var matched = all.Count - misses.Count;
        var share = all.Count == 0 ? 0 : (double)matched / all.Count;

        var ours = all.Where(p => p.Ours).ToList();
        var report = new StringBuilder();
        report.AppendLine($"== {corpus}: {matched}/{all.Count} ({share:P1})");
        if (ours.Count > 0)
            report.AppendLine($"   of which expected text stated by the corpus's test: {all.Count - ours.Count - misses.Count(m => !m.Ours)}/{all.Count - ours.Count}; " +
                              $"read by Desk where that test checks only part: {ours.Count - misses.Count(m => m.Ours)}/{ours.Count}");
        foreach (var miss in misses)
            report.AppendLine($"   miss: {miss.Name}{(miss.Expected is null ? " (no expectation)" : "")}{(miss.Ours ? " (Desk's reading)" : "")}");
        output.WriteLine(report.ToString());
        foreach (var miss in misses)
            output.WriteLine($"--- {miss.Name}: expected\n{Shorten(miss.Expected)}\n--- got\n{Shorten(ReplyText.NewText(miss.Input))}\n");
        Report.Write(corpus, report.ToString());

        Assert.NotEmpty(all);
        Assert.True(share >= floor, $"{corpus}: {matched}/{all.Count} = {share:P1} is under the floor {floor:P1}");
    }

    private static string Shorten(string? text) =>
        string.Join('\n', (text ?? "").Split('\n').Select(l => l.Length > 160 ? l[..160] + "…" : l));

    /// Trim every line and collapse runs of blank lines, so the comparison is about text, not spacing.
    private static string Normalise(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n').Select(l => l.Trim());
        var kept = new List<string>();
        foreach (var line in lines)
            if (line.Length > 0 || (kept.Count > 0 && kept[^1].Length > 0))
                kept.Add(line);
        return string.Join('\n', kept).Trim();
    }

    private static string Whole(string input) => input;

    private static Func<string, string> Exactly(string text) => _ => text;

    /// The input's lines before the first line that starts with <paramref name="prefix"/>.
    private static Func<string, string> Until(string prefix) => input =>
    {
        var lines = input.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var index = Array.FindIndex(lines, l => l.StartsWith(prefix, StringComparison.Ordinal));
        return string.Join('\n', index < 0 ? lines : lines[..index]);
    };

    /// The input's lines before the last run of lines that start with <paramref name="prefix"/> (the trailing quote).
    private static Func<string, string> UntilLast(string prefix) => input =>
    {
        var lines = input.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var last = Array.FindLastIndex(lines, l => l.StartsWith(prefix, StringComparison.Ordinal));
        var first = last;
        while (first > 0 && (lines[first - 1].StartsWith(prefix, StringComparison.Ordinal) || lines[first - 1].Trim().Length == 0))
            first--;
        return string.Join('\n', last < 0 ? lines : lines[..first]);
    };

    /// The report file the three corpus tests share, one section per corpus (tests in a class run one at a time).
    private static class Report
    {
        private static readonly string Path = System.IO.Path.Combine(AppContext.BaseDirectory, "reply-stripping.txt");

        public static void Write(string corpus, string section)
        {
            var sections = new SortedDictionary<string, string>(StringComparer.Ordinal);
            if (File.Exists(Path))
            {
                string? current = null;
                foreach (var line in File.ReadAllLines(Path))
                {
                    if (line.StartsWith("== ", StringComparison.Ordinal))
                        current = line[3..line.IndexOf(':', StringComparison.Ordinal)];
                    if (current is not null)
                        sections[current] = sections.GetValueOrDefault(current, "") + line + "\n";
                }
            }
            sections[corpus] = section;
            File.WriteAllText(Path, string.Concat(sections.Values));
        }
    }
}
