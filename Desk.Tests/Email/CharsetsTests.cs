using System.Text;
using Desk.Web.Email.Intake;
using MimeKit;
using static Desk.Tests.Support.MailSamples;

namespace Desk.Tests.Email;

/// <summary>
/// <c>Charsets</c> and the raw-header reading of <see cref="MailContent"/>: mail in the charsets our customers write in,
/// labelled right, wrong or not at all.
/// </summary>
public sealed class CharsetsTests
{
    static CharsetsTests() => MailContent.RegisterEncodings();

    [Fact]
    public void Extract_Gb2312LabelHoldingGbkCharacter_DecodesAsGb18030()
    {
        // 镕 (E9 46 in GBK) is not in GB2312: its trail byte 0x46 is below GB2312's A1–FE. Clients label such text gb2312 anyway.
        const string text = "总理朱镕基说：质量第一。董祎";
        var raw = Mail("Content-Type: text/plain; charset=gb2312\r\nContent-Transfer-Encoding: base64", Base64(Gbk.GetBytes(text)));

        var body = MailContent.Extract(MailContent.Parse(raw));

        Assert.Equal(text, body.Text);
    }

    [Fact]
    public void Parse_Gb2312EncodedWordSubjectHoldingGbkCharacter_DecodesRight()
    {
        var raw = Mail($"Subject: =?gb2312?B?{Convert.ToBase64String(Gbk.GetBytes("朱镕基的投诉"))}?=\r\nContent-Type: text/plain", "x"u8.ToArray(), subject: null);

        Assert.Equal("朱镕基的投诉", MailContent.Parse(raw).Subject);
    }

    [Fact]
    public void Parse_RawGbkSubject_DecodesAsChinese()
    {
        byte[] raw = [.. "Subject: "u8, .. Gbk.GetBytes("我的订单没有到货"), .. "\r\nContent-Type: text/plain\r\n"u8];

        Assert.Equal("我的订单没有到货", MailContent.Parse(Mail(Encoding.Latin1.GetString(raw).TrimEnd(), "x"u8.ToArray(), subject: null)).Subject);
    }

    [Fact]
    public void Parse_RawGbkSubjectAndSenderName_AreReadAsChinese()
    {
        // 镕 is E9 46 in GBK: MimeKit splits a raw name at the ASCII "F" and reads the halves as Latin-1.
        byte[] raw =
        [
            .. "From: "u8, .. Gbk.GetBytes("朱镕基"), .. " <zhu@example.com>\r\nTo: "u8, .. Gbk.GetBytes("客服中心"), .. " <desk@example.com>, other@example.com\r\n"u8,
            .. "Cc: \""u8, .. Gbk.GetBytes("王小明"), .. "\"\r\n <wang@example.com>\r\nSubject: "u8, .. Gbk.GetBytes("投诉：电视机屏幕破损"), .. "\r\n"u8,
            .. "Content-Type: text/plain; charset=gbk\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"u8, .. Gbk.GetBytes("屏幕有裂痕。"),
        ];

        var message = MailContent.Parse(raw);

        Assert.Equal("投诉：电视机屏幕破损", message.Subject);
        var from = message.From.Mailboxes.Single();
        Assert.Equal(("朱镕基", "zhu@example.com"), (from.Name, from.Address));
        Assert.Equal(["客服中心 <desk@example.com>", "other@example.com"], message.To.Mailboxes.Select(m => string.IsNullOrEmpty(m.Name) ? m.Address : $"{m.Name} <{m.Address}>"));
        Assert.Equal("王小明", message.Cc.Mailboxes.Single().Name);
        Assert.Equal("屏幕有裂痕。", MailContent.Extract(message).Text);
    }

    [Fact]
    public void Extract_RawGbkFileNameOfAnAttachment_IsReadAsChinese()
    {
        // A GB2312-named spreadsheet from a Chinese client: filename= in raw bytes, no RFC 2231 or encoded word.
        byte[] raw =
        [
            .. "From: customer@example.com\r\nTo: desk@example.com\r\nSubject: list\r\nMIME-Version: 1.0\r\n"u8,
            .. "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nSee the list.\r\n--b\r\n"u8,
            .. "Content-Type: application/vnd.ms-excel\r\nContent-Disposition: attachment; filename=\""u8, .. Gbk.GetBytes("退货清单.xls"), .. "\"\r\n"u8,
            .. "Content-Transfer-Encoding: base64\r\n\r\nAAEC\r\n--b--\r\n"u8,
        ];

        var body = MailContent.Extract(MailContent.Parse(raw));

        Assert.Equal("退货清单.xls", Assert.Single(body.Attachments).FileName);
    }

    [Fact]
    public void Extract_ForwardedMailWithARawGbkSubject_IsNamedInChinese()
    {
        byte[] raw =
        [
            .. "From: customer@example.com\r\nTo: desk@example.com\r\nSubject: Fw\r\nMIME-Version: 1.0\r\n"u8,
            .. "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nSee below.\r\n--b\r\n"u8,
            .. "Content-Type: message/rfc822\r\n\r\nFrom: shop@example.com\r\nSubject: "u8, .. Gbk.GetBytes("您的订单已发货"), .. "\r\n\r\nShipped.\r\n--b--\r\n"u8,
        ];

        var body = MailContent.Extract(MailContent.Parse(raw));

        Assert.Equal("您的订单已发货.eml", Assert.Single(body.Attachments).FileName);
    }

    [Fact]
    public void Parse_RawShiftJisSubjectAndName_AreReadAsJapanese()
    {
        var sjis = Encoding.GetEncoding("shift_jis");
        byte[] raw =
        [
            .. "From: "u8, .. sjis.GetBytes("山田太郎"), .. " <taro@example.jp>\r\nTo: desk@example.com\r\nSubject: "u8, .. sjis.GetBytes("注文した商品が届きません"),
            .. "\r\nContent-Type: text/plain; charset=shift_jis\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"u8, .. sjis.GetBytes("まだ届いていません。"),
        ];

        var message = MailContent.Parse(raw);

        Assert.Equal("注文した商品が届きません", message.Subject);
        Assert.Equal("山田太郎", message.From.Mailboxes.Single().Name);
        Assert.Equal("まだ届いていません。", MailContent.Extract(message).Text);
    }

    [Fact]
    public void Parse_RawShiftJisBesideAnEncodedWordInADisplayName_IsReadAsJapanese()
    {
        var sjis = Encoding.GetEncoding("shift_jis");
        byte[] raw =
        [
            .. Encoding.ASCII.GetBytes($"From: =?UTF-8?B?{Convert.ToBase64String(Encoding.UTF8.GetBytes("山田"))}?= "), .. sjis.GetBytes("太郎（営業部）"), .. " <taro@example.jp>\r\n"u8,
            .. "To: desk@example.com\r\nSubject: order\r\nContent-Type: text/plain\r\n\r\nHello"u8,
        ];

        var from = MailContent.Parse(raw).From.Mailboxes.Single();

        Assert.Equal(("山田 太郎（営業部）", "taro@example.jp"), (from.Name, from.Address));
    }

    [Fact]
    public void Parse_RawLatin1SubjectAndName_StayLatin1()
    {
        var raw = Encoding.Latin1.GetBytes("From: Jürgen Müller <jm@example.com>\r\nSubject: Grüße aus Köln\r\n\r\nHallo");

        var message = MailContent.Parse(raw);

        Assert.Equal("Grüße aus Köln", message.Subject);
        Assert.Equal("Jürgen Müller", message.From.Mailboxes.Single().Name);
    }

    [Fact]
    public void Extract_Gb18030TextAndSubject_DecodeRight()
    {
        const string text = "投诉：货物𠮷损坏，请退款 €25。"; // 𠮷 is a four-byte GB18030 sequence
        var gb18030 = Encoding.GetEncoding("gb18030");
        var raw = Mail($"Subject: =?gb18030?B?{Convert.ToBase64String(gb18030.GetBytes("退款申请𠮷"))}?=\r\nContent-Type: text/plain; charset=GB18030\r\nContent-Transfer-Encoding: base64",
            Base64(gb18030.GetBytes(text)), subject: null);

        var message = MailContent.Parse(raw);
        var body = MailContent.Extract(message);

        Assert.Equal("退款申请𠮷", message.Subject);
        Assert.Equal(text, body.Text);
    }

    [Fact]
    public void Extract_Big5TextAndSubject_DecodeRight()
    {
        const string text = "繁體中文的投訴：產品壞了。";
        var big5 = Encoding.GetEncoding("big5");
        var raw = Mail($"Subject: =?big5?B?{Convert.ToBase64String(big5.GetBytes("繁體主題"))}?=\r\nContent-Type: text/plain; charset=big5\r\nContent-Transfer-Encoding: 8bit",
            big5.GetBytes(text), subject: null);

        var message = MailContent.Parse(raw);
        var body = MailContent.Extract(message);

        Assert.Equal("繁體主題", message.Subject);
        Assert.Equal(text, body.Text);
    }

    [Fact]
    public void Extract_Iso2022JpTextAndSubject_DecodeRight()
    {
        const string text = "日本語のテキストです。商品が壊れていました。";
        var jis = Encoding.GetEncoding("iso-2022-jp");
        var raw = Mail($"Subject: =?ISO-2022-JP?B?{Convert.ToBase64String(jis.GetBytes("日本語の件名"))}?=\r\nContent-Type: text/plain; charset=ISO-2022-JP\r\nContent-Transfer-Encoding: 7bit",
            jis.GetBytes(text), subject: null);

        var message = MailContent.Parse(raw);
        var body = MailContent.Extract(message);

        Assert.Equal("日本語の件名", message.Subject);
        Assert.Equal(text, body.Text);
    }

    [Fact]
    public void Extract_UnlabelledIso2022Jp_IsRecognisedByItsEscapes()
    {
        const string text = "日本語";
        var raw = Mail("Content-Type: text/plain", Encoding.GetEncoding("iso-2022-jp").GetBytes(text));

        Assert.Equal(text, MailContent.Extract(MailContent.Parse(raw)).Text);
    }

    [Theory]
    [InlineData("text/plain; charset=us-ascii")]
    [InlineData("text/plain; charset=iso-8859-1")]
    [InlineData("text/plain")]
    public void Extract_Utf8BytesUnderWrongOrMissingLabel_DecodeAsUtf8(string contentType)
    {
        const string text = "Grüße — 你好";
        var raw = Mail($"Content-Type: {contentType}\r\nContent-Transfer-Encoding: 8bit", Encoding.UTF8.GetBytes(text));

        Assert.Equal(text, MailContent.Extract(MailContent.Parse(raw)).Text);
    }

    [Theory]
    [InlineData("gb2312")]
    [InlineData("gbk")]
    [InlineData("big5")]
    [InlineData("windows-1251")]
    [InlineData("koi8-r")]
    [InlineData("shift_jis")]
    [InlineData("euc-kr")]
    public void Extract_Utf8BytesUnderLegacyLabel_DecodeAsUtf8(string charset)
    {
        // Webmail and scripts that label everything with the local charset: the bytes are UTF-8 all the same.
        const string text = "您好，电视机屏幕破损 — Здравствуйте";
        var raw = Mail($"Content-Type: text/plain; charset={charset}\r\nContent-Transfer-Encoding: 8bit", Encoding.UTF8.GetBytes(text));

        Assert.Equal(text, MailContent.Extract(MailContent.Parse(raw)).Text);
    }

    [Theory]
    [InlineData("windows-1251", 1251, "Здравствуйте, телевизор разбит.")]
    [InlineData("koi8-r", 20866, "Здравствуйте, телевизор разбит.")]
    [InlineData("big5", 950, "您好，電視機螢幕破損。")]
    [InlineData("gbk", 936, "您好，电视机屏幕破损。")]
    public void Extract_LegacyTextUnderItsOwnLabel_KeepsThatCharset(string charset, int codePage, string text)
    {
        var raw = Mail($"Content-Type: text/plain; charset={charset}\r\nContent-Transfer-Encoding: 8bit", Encoding.GetEncoding(codePage).GetBytes(text));

        Assert.Equal(text, MailContent.Extract(MailContent.Parse(raw)).Text);
    }

    [Theory]
    [InlineData("gb2312")]
    [InlineData("big5")]
    [InlineData("windows-1252")]
    public void Extract_LegacyLabelOverUtf8MixedWithLatin1_DecodesEachSegmentAsItIs(string charset)
    {
        // A web form's script wrote the customer's UTF-8 Chinese and a Latin-1 signature line into one gb2312 mail.
        byte[] content =
        [
            .. Encoding.UTF8.GetBytes("您好，订单 1042 的咖啡机还没有到，请尽快处理。\r\n"), .. Encoding.GetEncoding(1252).GetBytes("Envoyé depuis le café — Hélène\r\n"),
            .. Encoding.UTF8.GetBytes("谢谢！"),
        ];
        var raw = Mail($"Content-Type: text/plain; charset={charset}\r\nContent-Transfer-Encoding: 8bit", content);

        var text = MailContent.Extract(MailContent.Parse(raw)).Text;

        Assert.Equal("您好，订单 1042 的咖啡机还没有到，请尽快处理。\nEnvoyé depuis le café — Hélène\n谢谢！", text.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public void Extract_GbkTextWithOneStrayLatin1Word_StaysChinese()
    {
        byte[] content = [.. Gbk.GetBytes("您好，我的订单还没有到。\r\n"), .. Encoding.Latin1.GetBytes("Hélène\r\n")];
        var raw = Mail("Content-Type: text/plain; charset=gb2312\r\nContent-Transfer-Encoding: 8bit", content);

        Assert.StartsWith("您好，我的订单还没有到。", MailContent.Extract(MailContent.Parse(raw)).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Extract_Latin1TextLabelledLatin1_StaysLatin1()
    {
        const string text = "Très cher, le café était froid. Grüße";
        var raw = Mail("Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: 8bit", Encoding.Latin1.GetBytes(text));

        Assert.Equal(text, MailContent.Extract(MailContent.Parse(raw)).Text);
    }

    [Fact]
    public void Extract_UnlabelledGbkText_IsRecognisedAsChinese()
    {
        const string text = "您好，我的订单还没有到。";
        var raw = Mail("Content-Type: text/plain\r\nContent-Transfer-Encoding: 8bit", Gbk.GetBytes(text));

        Assert.Equal(text, MailContent.Extract(MailContent.Parse(raw)).Text);
    }

    [Fact]
    public void Extract_Gb2312LabelledHtmlOnlyMail_BecomesReadablePlainText()
    {
        const string html = "<html><head><title>标题</title><style>p{color:red}</style></head><body>"
            + "<p>您好：</p><p>我买的<b>电饭煲</b>坏了&nbsp;&amp;&nbsp;无法开机。<br>订单号：12345</p>"
            + "<ul><li>第一点</li><li>第二点</li></ul><ol><li>一</li><li>二</li></ol><div>谢谢&lt;客户&gt;</div></body></html>";
        var raw = Mail("Content-Type: text/html; charset=gb2312\r\nContent-Transfer-Encoding: base64", Base64(Gbk.GetBytes(html)));

        var body = MailContent.Extract(MailContent.Parse(raw));

        Assert.Equal("您好：\n\n我买的电饭煲坏了 & 无法开机。\n订单号：12345\n\n• 第一点\n• 第二点\n\n1. 一\n2. 二\n\n谢谢<客户>", body.Text);
        Assert.NotNull(body.Html);
        Assert.Contains("电饭煲", body.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("标题", body.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Extract_HtmlWithMetaCharsetAndNoMimeLabel_UsesTheMetaCharset()
    {
        const string html = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=big5\"></head><body><p>請退款</p></body></html>";
        var raw = Mail("Content-Type: text/html\r\nContent-Transfer-Encoding: 8bit", Encoding.GetEncoding("big5").GetBytes(html));

        var body = MailContent.Extract(MailContent.Parse(raw));

        Assert.Equal("請退款", body.Text);
        Assert.Contains("請退款", body.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Extract_FormatFlowed_IsUnwrapped()
    {
        var raw = Mail("Content-Type: text/plain; charset=utf-8; format=flowed", "This line was \r\nwrapped by the client.\r\n\r\nNew paragraph."u8.ToArray());

        Assert.Equal("This line was wrapped by the client.\n\nNew paragraph.", MailContent.Extract(MailContent.Parse(raw)).Text);
    }

    [Theory]
    [InlineData("no", "The lid is \r\ncracked.")]
    [InlineData("yes", "The lid is  \r\ncracked.")]
    public void Extract_FormatFlowedSignatureDelimiter_StaysALineOfItsOwn(string delsp, string paragraph)
    {
        // RFC 3676 §4.3: "-- " ends in a space yet is not flowed; joined to the next line, no signature could be found.
        var raw = Mail($"Content-Type: text/plain; charset=utf-8; format=flowed; delsp={delsp}",
            Encoding.UTF8.GetBytes(paragraph + "\r\n-- \r\nAna Souza\r\nShop Ltd\r\n"));

        var text = MailContent.Extract(MailContent.Parse(raw)).Text;

        Assert.Equal("The lid is cracked.\n-- \nAna Souza\nShop Ltd", text);
        Assert.Equal("The lid is cracked.", Desk.Domain.Email.ReplyText.NewText(text));
    }
}
