using Desk.Domain.Email;
using Desk.Tests.Support;
using MimeKit;
using Xunit.Abstractions;

namespace Desk.Tests.Email;

/// <summary>
/// <see cref="ReplyText.FirstMessageText"/>: the first mail of a ticket is stripped like a reply (customers open a
/// complaint by answering or forwarding a shop's mail), but it never comes out empty or as a bare signature.
/// </summary>
public sealed class FirstMessageTextTests(ITestOutputHelper output)
{
    /// <summary>
    /// Every input of the three reply corpora read as a first message: never empty, and the same as a reply's text
    /// except where a reply would keep only a signature (then the first message keeps everything).
    /// </summary>
    [CorpusFact]
    public void FirstMessageText_ReplyCorpora_IsNeverEmptyAndDiffersFromNewTextOnlyWhereASignatureAloneIsLeft()
    {
        var inputs = new List<(string Name, string Text)>();
        foreach (var path in Directory.GetFiles(Corpora.Path("mailgun-talon", "tests", "fixtures", "standard_replies"), "*.eml"))
        {
            using var message = MimeMessage.Load(path);
            inputs.Add((Path.GetFileName(path), message.TextBody ?? ""));
        }
        foreach (var path in Directory.GetFiles(Corpora.Path("github-email_reply_parser", "test", "emails"), "*.txt")
                     .Concat(Directory.GetFiles(Corpora.Path("crisp-email-reply-parser", "test", "fixtures"), "*.txt")))
            inputs.Add((Path.GetFileName(path), File.ReadAllText(path)));

        var differing = 0;
        foreach (var (name, text) in inputs.Where(i => i.Text.Trim().Length > 0))
        {
            var first = ReplyText.FirstMessageText(text);
            Assert.False(first.Length == 0, $"{name}: empty");
            if (first == ReplyText.NewText(text)) continue;
            differing++;
            output.WriteLine($"{name}: the reply's text is a signature alone; the first message keeps the whole text");
            Assert.Equal(text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Trim(), first);
        }
        output.WriteLine($"{inputs.Count} inputs, {differing} read differently as a first message");
        Assert.True(inputs.Count > 100, $"only {inputs.Count} corpus inputs");
    }

    [Fact]
    public void FirstMessageText_ReplyToTheShopsMail_KeepsOnlyTheCustomersWords()
    {
        var text = "My order never came, see your mail below.\n\n-- \nAna Souza\n\nOn Fri, Nov 20, 2026 at 3:14 PM Shop <orders@shop.example> wrote:\n" +
                   "> Your order 1042 has shipped.\n> Shop";
        Assert.Equal("My order never came, see your mail below.", ReplyText.FirstMessageText(text));
    }

    [Fact]
    public void FirstMessageText_ForwardOfTheShopsMailWithOneLine_KeepsTheLine()
    {
        var text = "You promised a refund!\n\n发自我的iPhone\n\n-----邮件原件-----\n发件人: Shop <orders@shop.example>\n发送时间: 2026年11月20日 15:14\n" +
                   "收件人: Ana <ana@example.com>\n主题: 退款\n\n您好，退款将在三天内到账。";
        Assert.Equal("You promised a refund!", ReplyText.FirstMessageText(text));
    }

    [Theory]
    [InlineData("-----Original Message-----\nFrom: Shop <orders@shop.example>\nSent: Friday, November 20, 2026 3:14 PM\nTo: Ana\nSubject: Refund\n\nYour refund was refused.")]
    [InlineData("On Fri, Nov 20, 2026 at 3:14 PM Shop <orders@shop.example> wrote:\n> Your refund was refused.")]
    [InlineData("Sent from my iPhone\n\nOn Fri, Nov 20, 2026 at 3:14 PM Shop <orders@shop.example> wrote:\n> Your refund was refused.")]
    public void FirstMessageText_NothingButQuoteOrSignature_KeepsTheWholeText(string text)
    {
        Assert.Equal(text, ReplyText.FirstMessageText(text + "\n"));
    }

    [Fact]
    public void FirstMessageText_ForwardedMessageBlock_IsKeptAsEvidence()
    {
        var text = "The courier says this:\n\n---------- Forwarded message ---------\nFrom: Courier <track@courier.example>\nDate: Fri, Nov 20, 2026\n" +
                   "Subject: Delivered\n\nYour parcel was left at the door.";
        Assert.Equal(text, ReplyText.FirstMessageText(text));
    }
}
