using System.Text;
using Desk.Web.Email.Intake;

namespace Desk.Tests.Email;

/// <summary>
/// Mail that breaks the rules where a person would still read on: <see cref="MailContent.Parse"/> takes what a reader
/// can take, and <see cref="MailContent.Extract"/> says in a note what was repaired (the note reaches the ticket).
/// </summary>
public sealed class MailRepairTests
{
    [Fact]
    public void Parse_SeparatorLinePastedAboveTheHeaders_IsSkippedWithANote()
    {
        var raw = Encoding.ASCII.GetBytes("------------------------------\r\nFrom: Ana Lima <ana@customer.test>\r\nTo: desk@example.com\r\n"
            + "Subject: Kettle leaks\r\n\r\nIt leaks from the base.\r\n");

        var message = MailContent.Parse(raw);

        Assert.Equal(("ana@customer.test", "Kettle leaks"), (message.From.Mailboxes.Single().Address, message.Subject));
        var body = MailContent.Extract(message);
        Assert.Equal("It leaks from the base.", body.Text);
        Assert.Contains(body.Notes, n => n.Contains("not a header", StringComparison.Ordinal) && n.Contains("------", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_UnindentedContinuationLine_IsJoinedToTheHeaderAboveWithANote()
    {
        var raw = Encoding.ASCII.GetBytes("Subject: My kettle\r\nleaks from the base\r\nFrom: Ana Lima <ana@customer.test>\r\nTo: desk@example.com\r\n\r\nPlease help.\r\n");

        var message = MailContent.Parse(raw);

        Assert.Equal(("ana@customer.test", "My kettle leaks from the base"), (message.From.Mailboxes.Single().Address, message.Subject));
        var body = MailContent.Extract(message);
        Assert.Equal("Please help.", body.Text);
        Assert.Contains(body.Notes, n => n.Contains("continuation of Subject", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_HeaderlessBodyRightUnderTheHeaders_IsNotJoinedToThem()
    {
        // No blank line, and no header after the text: that is the body, as MimeKit reads it.
        var raw = Encoding.ASCII.GetBytes("From: Ana Lima <ana@customer.test>\r\nSubject: Kettle\r\nIt leaks.\r\n");

        var message = MailContent.Parse(raw);

        Assert.Equal("Kettle", message.Subject);
        Assert.DoesNotContain(MailContent.Extract(message).Notes, n => n.Contains("continuation", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_FromWithAnEmptyMailboxBeforeARealOne_IsFromTheRealOneAndAPerson()
    {
        var raw = Encoding.ASCII.GetBytes("From: <>, Ana Lima <ana@customer.test>\r\nTo: desk@example.com\r\nSubject: Kettle\r\n\r\nIt leaks.\r\n");

        var message = MailContent.Parse(raw);

        var from = message.From.Mailboxes.Single();
        Assert.Equal(("Ana Lima", "ana@customer.test"), (from.Name, from.Address));
        Assert.False(RobotMail.Classify(message).IsRobot);
        Assert.Contains(MailContent.Extract(message).Notes, n => n.Contains("empty address", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_EmptyFromAlone_StaysARobotsMail()
    {
        var raw = Encoding.ASCII.GetBytes("From: <>\r\nTo: desk@example.com\r\nSubject: Delivery report\r\n\r\nReport.\r\n");

        Assert.True(RobotMail.Classify(MailContent.Parse(raw)).IsRobot);
    }

    [Theory]
    [InlineData("Ana Lima ana@customer.test", "Ana Lima")]
    [InlineData("\"Lima, Ana\" ana@customer.test", "Lima, Ana")]
    [InlineData("李娜 ana@customer.test", "李娜")]
    public void Parse_NameAndAddressWithoutAngleBrackets_IsRecoveredWithANote(string from, string name)
    {
        var raw = Encoding.UTF8.GetBytes($"From: {from}\r\nTo: desk@example.com\r\nSubject: Kettle\r\n\r\nIt leaks.\r\n");

        var message = MailContent.Parse(raw);

        var sender = message.From.Mailboxes.Single();
        Assert.Equal((name, "ana@customer.test"), (sender.Name, sender.Address));
        Assert.Contains(MailContent.Extract(message).Notes, n => n.Contains("without angle brackets", StringComparison.Ordinal));
    }
}
