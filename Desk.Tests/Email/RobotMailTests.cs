using System.Text;
using Desk.Tests.Support;
using Desk.Web.Email.Intake;
using MimeKit;
using Xunit.Abstractions;

namespace Desk.Tests.Email;

/// <summary>
/// <see cref="RobotMail.Classify"/> against sisimai's set of real bounces, auto-replies and abuse reports, two robustness
/// corpora, and hand-made mail from customers and their robots.
/// </summary>
/// <remarks>
/// sisimai-set-of-emails/maildir holds bsd/ (LF), dos/ (CRLF) and mac/ (bare CR) copies of bounces from many mail
/// servers, rfc3834-* auto-replies and arf-* abuse reports; err/ the messages split out of sisimai's mbox-0; tmp/ three
/// more bounces; not/ mail sisimai must not parse as a bounce. A few files do not say what their folder says; each is
/// named below with the reason, and asserted for what it is.
/// </remarks>
public sealed class RobotMailTests(ITestOutputHelper output)
{
    /// People forwarding a bounce they received: a person wrote the mail (and may well be complaining about it).
    private static readonly Dictionary<string, string> PeopleAmongRobots = new(StringComparer.Ordinal)
    {
        ["bsd/lhost-sendmail-14.eml"] = "a person forwarding a bounce inline (\"Fwd: Returned mail\", \"Forward the message.\", Apple Mail)",
        ["err/make-test-36.eml"] = "a person forwarding a bounce inline (\"Fwd: Returned mail\" from original-sender@, quoted with >)",
    };

    /// In not/ because sisimai could not parse it as a bounce (its rb-sisimai issue 368), yet a robot wrote it.
    private static readonly Dictionary<string, string> RobotsAmongPeople = new(StringComparer.Ordinal)
    {
        ["not/rb-issue-368-bug.eml"] = "a mailbox-full bounce: Return-Path <>, From postmaster@, Auto-Submitted: auto-replied",
    };

    // ---- sisimai: every folder ------------------------------------------------------------------------------

    [CorpusFact]
    public void Classify_SisimaiBsdBounces_AreRobots() => AssertFolder("bsd", robots: true);

    [CorpusFact]
    public void Classify_SisimaiDosBounces_AreRobots() => AssertFolder("dos", robots: true);

    /// Bare CR line endings: MimeKit's parser reads LF and CRLF only, so these are read after CR → CRLF (see <see cref="Load"/>).
    [CorpusFact]
    public void Classify_SisimaiMacBounces_AreRobots() => AssertFolder("mac", robots: true);

    /// <summary>Why <see cref="Load"/> turns bare CR into CRLF: read as they are, mac/ files are one long header.
    /// (When this fails, MimeKit has learnt bare CR and the normalising can go.)</summary>
    [CorpusFact]
    public void Load_SisimaiMacFileAsItIs_MimeKitSeesOneHeaderAndNoBody()
    {
        var path = Corpora.Path("sisimai-set-of-emails", "maildir", "mac", "lhost-postfix-01.eml");
        using var asItIs = MimeMessage.Load(path);
        using var normalised = Load(path);
        Assert.Single(asItIs.Headers);
        Assert.True(normalised.Headers.Count > 5);
        Assert.Equal(MailAuthor.Bounce, RobotMail.Classify(normalised).Author);
    }

    [CorpusFact]
    public void Classify_SisimaiErrMessages_AreRobots() => AssertFolder("err", robots: true);

    [CorpusFact]
    public void Classify_SisimaiTmpMessages_AreRobots() => AssertFolder("tmp", robots: true);

    [CorpusFact]
    public void Classify_SisimaiNotBounces_ArePeople() => AssertFolder("not", robots: false);

    [CorpusFact]
    public void Classify_PeopleForwardingBounces_ArePeople()
    {
        foreach (var (name, why) in PeopleAmongRobots)
        {
            var verdict = RobotMail.Classify(Sisimai(name));
            Assert.True(verdict.Author == MailAuthor.Person, $"{name} ({why}) was {verdict.Author}: {verdict.Reason}");
        }
    }

    [CorpusFact]
    public void Classify_SisimaiIssue368_IsBounce()
    {
        var verdict = RobotMail.Classify(Sisimai("not/rb-issue-368-bug.eml"));
        Assert.Equal(MailAuthor.Bounce, verdict.Author);
    }

    /// <summary>The kinds of robot, checked on representative files: the folder tests only ask robot or person.</summary>
    [CorpusTheory]
    [InlineData("bsd/rfc3834-01.eml", MailAuthor.AutoReply)]
    [InlineData("bsd/rfc3834-02.eml", MailAuthor.AutoReply)]
    [InlineData("bsd/rfc3834-03.eml", MailAuthor.AutoReply)]
    [InlineData("bsd/rfc3834-04.eml", MailAuthor.AutoReply)]
    [InlineData("bsd/rfc3834-05.eml", MailAuthor.AutoReply)]
    [InlineData("bsd/rfc3834-06.eml", MailAuthor.AutoReply)]
    [InlineData("bsd/arf-01.eml", MailAuthor.Report)]
    [InlineData("bsd/arf-22.eml", MailAuthor.Report)]
    [InlineData("bsd/lhost-postfix-01.eml", MailAuthor.Bounce)]
    [InlineData("bsd/lhost-qmail-01.eml", MailAuthor.Bounce)]
    [InlineData("bsd/lhost-exim-01.eml", MailAuthor.Bounce)]
    [InlineData("bsd/lhost-amazonses-09.eml", MailAuthor.Bounce)]
    [InlineData("bsd/lhost-kddi-01.eml", MailAuthor.Bounce)]
    [InlineData("bsd/lhost-verizon-02.eml", MailAuthor.Bounce)]
    [InlineData("bsd/lhost-mcafee-04.eml", MailAuthor.Bounce)]
    [InlineData("tmp/rfc3464-39.eml", MailAuthor.Bounce)]
    public void Classify_SisimaiSample_IsItsKind(string name, MailAuthor expected)
    {
        var verdict = RobotMail.Classify(Sisimai(name));
        Assert.True(verdict.Author == expected, $"{name}: {verdict.Author} ({verdict.Reason}), expected {expected}");
        Assert.False(string.IsNullOrWhiteSpace(verdict.Reason));
    }

    // ---- sisimai: the original a bounce carries (checked by hand in each file) ----------------------------------

    [CorpusTheory]
    [InlineData("bsd/lhost-kddi-01.eml", "2013000000000000@example.jp")] // message/rfc822 "Original message"
    [InlineData("bsd/arf-22.eml", "0000000000fffffffff0000000000000@example.com")] // Hotmail complaint, attached message/rfc822
    [InlineData("err/make-test-07.eml", "20090330081819.3619.qmail@mta.example.co.jp")] // qmail: the copy pasted below the text
    [InlineData("tmp/rfc3464-37.eml", "ffffffffffff000000002222000000000@e3.example.com")] // Exim 3: "Message text follows"
    [InlineData("not/rb-issue-368-bug.eml", "68e0b7e3615cd_1dc7010592ed@7cf4d87f87-9r5w2.mail")] // "bounced E-Mail:" pasted
    [InlineData("bsd/lhost-verizon-02.eml", "20140429222222.22222.qmail@sabineko.example.com")] // answers the failed mail: In-Reply-To
    public void Classify_SisimaiBounceWithOriginal_NamesTheOriginalMessageId(string name, string originalId)
    {
        var verdict = RobotMail.Classify(Sisimai(name));
        Assert.True(verdict.Author is MailAuthor.Bounce or MailAuthor.Report, $"{name}: {verdict.Author} ({verdict.Reason})");
        Assert.Contains(originalId, verdict.OriginalMessageIds);
    }

    [CorpusFact]
    public void Classify_SisimaiBounces_NameNoIdWithAngleBrackets()
    {
        var bad = SisimaiFiles("bsd")
            .Select(path => (path, verdict: RobotMail.Classify(Load(path))))
            .SelectMany(r => r.verdict.OriginalMessageIds.Where(id => id.Contains('<') || id.Contains('>') || id.Any(char.IsWhiteSpace)).Select(id => $"{Path.GetFileName(r.path)}: {id}"))
            .ToList();
        Assert.True(bad.Count == 0, string.Join('\n', bad));
    }

    // ---- Robustness ----------------------------------------------------------------------------------------------

    [CorpusTheory]
    [InlineData("ruby-mail-gem/spec/fixtures")]
    [InlineData("spamscope-mail-parser/tests")]
    public void Classify_RobustnessCorpus_NeverThrowsAndJudgesEveryMessage(string folder)
    {
        int judged = 0, unreadable = 0;
        var unjudged = new List<string>();
        foreach (var path in Directory.GetFiles(Corpora.Path(folder), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            MimeMessage message;
            try { message = MimeMessage.Load(path); }
            catch (FormatException) { unreadable++; continue; }
            using (message)
            {
                var verdict = RobotMail.Classify(message); // throws → the test fails with the exception
                judged++;
                if (verdict.Reason?.StartsWith("could not be judged", StringComparison.Ordinal) == true)
                    unjudged.Add($"{Path.GetRelativePath(Corpora.Path(), path)}: {verdict.Reason}");
            }
        }
        output.WriteLine($"{folder}: {judged} judged, {unreadable} MimeKit cannot read");
        Assert.True(judged > 10, $"only {judged} messages in {folder}");
        Assert.True(unjudged.Count == 0, "Classify swallowed an exception on:\n" + string.Join('\n', unjudged));
    }

    // ---- Hand-made ------------------------------------------------------------------------------------------------

    [Fact]
    public void Classify_OrdinaryComplaint_IsPerson()
    {
        var verdict = RobotMail.Classify(Parse("""
            From: Li Wei <li.wei@example.cn>
            To: support@desk.example
            Subject: My order arrived broken
            Message-ID: <c1@example.cn>
            Date: Mon, 2 Mar 2026 10:00:00 +0800
            Content-Type: text/plain; charset=utf-8

            The kettle I ordered arrived with a cracked lid. I would like a replacement.
            """));
        Assert.Equal(MailAuthor.Person, verdict.Author);
        Assert.Null(verdict.Reason);
        Assert.False(verdict.IsRobot);
        Assert.Empty(verdict.OriginalMessageIds);
    }

    [Fact]
    public void Classify_CustomerReplyWithAutoSubmittedNo_IsPerson()
    {
        var verdict = RobotMail.Classify(Parse("""
            From: Anna Berg <anna@example.se>
            To: support@desk.example
            Subject: Re: [#1042] Refund for a late delivery
            Auto-Submitted: no
            In-Reply-To: <ack-1042@desk.example>
            Message-ID: <r2@example.se>
            Content-Type: text/plain; charset=utf-8

            Thanks, the refund has not arrived yet.
            """));
        Assert.Equal(MailAuthor.Person, verdict.Author);
    }

    [Fact]
    public void Classify_ChineseOutOfOffice_IsAutoReplyToTheAcknowledgement()
    {
        var verdict = RobotMail.Classify(Parse("""
            From: =?UTF-8?B?546L6Iqz?= <wang.fang@example.cn>
            To: support@desk.example
            Subject: =?UTF-8?B?6Ieq5Yqo5Zue5aSNOiDmgqjnmoTmipXor4nlt7LmlLbliLA=?=
            In-Reply-To: <ack-2001@desk.example>
            Message-ID: <oof-1@example.cn>
            Content-Type: text/plain; charset=utf-8

            我正在休假，3月10日回来。
            """));
        Assert.Equal("自动回复: 您的投诉已收到", Parse("Subject: =?UTF-8?B?6Ieq5Yqo5Zue5aSNOiDmgqjnmoTmipXor4nlt7LmlLbliLA=?=\n\n").Subject);
        Assert.Equal(MailAuthor.AutoReply, verdict.Author);
        Assert.Contains("自动回复", verdict.Reason, StringComparison.Ordinal);
        Assert.Equal(["ack-2001@desk.example"], verdict.OriginalMessageIds);
    }

    [Fact]
    public void Classify_ChineseOutOfOfficeWithFullWidthColon_IsAutoReply()
    {
        var verdict = RobotMail.Classify(Parse("""
            From: wang.fang@example.cn
            Subject: =?UTF-8?B?6Ieq5Yqo5Zue5aSN77ya5oKo55qE5oqV6K+J5bey5pS25Yiw?=

            我正在休假。
            """));
        Assert.Equal(MailAuthor.AutoReply, verdict.Author);
    }

    /// <summary>
    /// Outlook puts <c>X-Auto-Response-Suppress: All</c> on people's mail too (meeting requests, mail through
    /// distribution lists; osTicket, GLPI and Redmine each lost customers' mail by treating it as an auto-reply).
    /// Desk's decision: on its own it is no evidence, so this customer is a person.
    /// </summary>
    [Fact]
    public void Classify_OutlookPersonWithAutoResponseSuppress_IsPerson()
    {
        var verdict = RobotMail.Classify(Parse("""
            From: "Miller, Tom" <tom.miller@contoso.example>
            To: "support@desk.example" <support@desk.example>
            Subject: Invoice 4471 charged twice
            Thread-Topic: Invoice 4471 charged twice
            Thread-Index: AdmP3n0Q4b5pN0e1QxK2s7QyF8u9Yw==
            X-Auto-Response-Suppress: All
            X-MS-Has-Attach:
            X-MS-TNEF-Correlator:
            X-Mailer: Microsoft Outlook 16.0
            Message-ID: <DM6PR01MB1234@contoso.example>
            Content-Type: text/plain; charset="us-ascii"

            Hello, my card was charged twice for invoice 4471. Please refund one charge.
            """));
        Assert.Equal(MailAuthor.Person, verdict.Author);
    }

    [Fact]
    public void Classify_MailingListPost_IsBulk()
    {
        var verdict = RobotMail.Classify(Parse("""
            From: Weekly Deals <deals@shop.example>
            To: support@desk.example
            Subject: This week's deals
            List-Id: Shop deals <deals.shop.example>
            List-Unsubscribe: <mailto:unsubscribe@shop.example>, <https://shop.example/unsubscribe>
            Precedence: list
            Message-ID: <news-9@shop.example>

            Our best prices this week.
            """));
        Assert.Equal(MailAuthor.Bulk, verdict.Author);
        Assert.True(verdict.IsRobot);
    }

    [Fact]
    public void Classify_ReadReceipt_IsReportAboutTheDesksMail()
    {
        var verdict = RobotMail.Classify(Parse("""
            From: Li Wei <li.wei@example.cn>
            To: support@desk.example
            Subject: Read: [#1042] We received your complaint
            Message-ID: <mdn-1@example.cn>
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=disposition-notification; boundary="b1"

            --b1
            Content-Type: text/plain; charset=utf-8

            Your message was read on 2 March 2026.
            --b1
            Content-Type: message/disposition-notification

            Reporting-UA: mail.example.cn; Foxmail
            Final-Recipient: rfc822; li.wei@example.cn
            Original-Message-ID: <ack-1042@desk.example>
            Disposition: manual-action/MDN-sent-manually; displayed

            --b1--
            """));
        Assert.Equal(MailAuthor.Report, verdict.Author);
        Assert.Equal("multipart/report; report-type=disposition-notification", verdict.Reason);
        Assert.Contains("ack-1042@desk.example", verdict.OriginalMessageIds);
    }

    [Fact]
    public void Classify_BounceOfTheDesksAcknowledgement_NamesItsMessageId()
    {
        var verdict = RobotMail.Classify(Parse("""
            From: Mail Delivery System <MAILER-DAEMON@mx.desk.example>
            To: support@desk.example
            Subject: Undelivered Mail Returned to Sender
            Auto-Submitted: auto-replied
            Message-ID: <bounce-1@mx.desk.example>
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=delivery-status; boundary="b2"

            --b2
            Content-Type: text/plain

            I'm sorry to have to inform you that your message could not be delivered.
            --b2
            Content-Type: message/delivery-status

            Reporting-MTA: dns; mx.desk.example

            Final-Recipient: rfc822; nobody@example.cn
            Action: failed
            Status: 5.1.1
            --b2
            Content-Type: text/rfc822-headers

            From: support@desk.example
            To: nobody@example.cn
            Subject: [#1042] We received your complaint
            Message-ID: <ack-1042@desk.example>
            --b2--
            """));
        Assert.Equal(MailAuthor.Bounce, verdict.Author);
        Assert.Equal("multipart/report; report-type=delivery-status", verdict.Reason);
        Assert.Equal(["ack-1042@desk.example"], verdict.OriginalMessageIds);
    }

    [Theory]
    [InlineData("Automatic reply: [#1042] We received your complaint")]
    [InlineData("Out of Office: [#1042] We received your complaint")]
    [InlineData("Auto: [#1042] We received your complaint")]
    [InlineData("Abwesenheitsnotiz: [#1042] Ihre Beschwerde")]
    [InlineData("Réponse automatique : [#1042] Votre réclamation")]
    [InlineData("Respuesta automática: [#1042] Su queja")]
    [InlineData("自動応答: [#1042] 苦情を受け付けました")]
    [InlineData("自動回覆: [#1042] 您的投訴已收到")]
    [InlineData("自动答复: [#1042] 您的投诉已收到")]
    public void Classify_AutoReplySubject_IsAutoReply(string subject)
    {
        var verdict = RobotMail.Classify(WithSubject(subject));
        Assert.True(verdict.Author == MailAuthor.AutoReply, $"{subject}: {verdict.Author} ({verdict.Reason})");
    }

    [Theory]
    [InlineData("Undeliverable: [#1042] We received your complaint")]
    [InlineData("Delivery Status Notification (Failure)")]
    [InlineData("Returned mail: see transcript for details")]
    [InlineData("Mail delivery failed: returning message to sender")]
    [InlineData("系统退信")]
    public void Classify_BounceSubject_IsBounce(string subject)
    {
        var verdict = RobotMail.Classify(WithSubject(subject));
        Assert.True(verdict.Author == MailAuthor.Bounce, $"{subject}: {verdict.Author} ({verdict.Reason})");
    }

    /// <summary>A complaint desk hears about parcels: these subjects are customers', not mail servers'.</summary>
    [Theory]
    [InlineData("Delivery failed again!")]
    [InlineData("Delivery status of order 5521?")]
    [InlineData("Out of office hours support never answers")]
    [InlineData("Auto-renewal charged me twice")]
    [InlineData("Vacation package refund")]
    [InlineData("Re: Automatic reply: [#1042] We received your complaint")]
    [InlineData("Fwd: Returned mail: see transcript for details")]
    [InlineData("快递一直没有送达")]
    [InlineData("Undeliverable parcel, where is my refund")]
    public void Classify_CustomerSubjectAboutDeliveries_IsPerson(string subject)
    {
        var verdict = RobotMail.Classify(WithSubject(subject));
        Assert.True(verdict.Author == MailAuthor.Person, $"{subject}: {verdict.Author} ({verdict.Reason})");
    }

    [Fact]
    public void Classify_PersonAttachingABounce_IsPerson()
    {
        var verdict = RobotMail.Classify(Parse("""
            From: Anna Berg <anna@example.se>
            To: support@desk.example
            Subject: Your mail to me bounced
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="b3"

            --b3
            Content-Type: text/plain

            I never got your answer, my server sent me this.
            --b3
            Content-Type: message/rfc822

            From: MAILER-DAEMON@example.se
            Subject: Undelivered Mail Returned to Sender
            Auto-Submitted: auto-replied
            Content-Type: text/plain

            gone
            --b3--
            """));
        Assert.Equal(MailAuthor.Person, verdict.Author);
    }

    [Fact]
    public void Classify_MessageWithNoHeaders_IsPersonWithoutThrowing()
    {
        using var message = MimeMessage.Load(new MemoryStream("\r\nJust a body, no headers at all.\r\n"u8.ToArray()));
        var verdict = RobotMail.Classify(message);
        Assert.Equal(MailAuthor.Person, verdict.Author);
        Assert.Empty(verdict.OriginalMessageIds);
    }

    [Fact]
    public void Classify_EmptyMessage_IsPersonWithoutThrowing()
    {
        var verdict = RobotMail.Classify(new MimeMessage());
        Assert.Equal(MailAuthor.Person, verdict.Author);
    }

    // ---- Helpers --------------------------------------------------------------------------------------------------

    private void AssertFolder(string folder, bool robots)
    {
        var files = SisimaiFiles(folder).ToList();
        Assert.NotEmpty(files);
        var exceptions = robots ? PeopleAmongRobots : RobotsAmongPeople;
        var wrong = new List<string>();
        var kinds = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var path in files)
        {
            var name = $"{folder}/{Path.GetFileName(path)}";
            if (exceptions.ContainsKey(name)) continue;
            RobotVerdict verdict;
            try { verdict = RobotMail.Classify(Load(path)); }
            catch (Exception e) when (e is FormatException or IOException)
            {
                wrong.Add($"  {name}: unreadable ({e.GetType().Name}: {e.Message})");
                continue;
            }
            kinds[verdict.Author.ToString()] = kinds.GetValueOrDefault(verdict.Author.ToString()) + 1;
            if (verdict.IsRobot != robots)
                wrong.Add($"  {name}: {verdict.Author}{(verdict.Reason is null ? "" : $" ({verdict.Reason})")}");
        }
        var judged = files.Count - exceptions.Keys.Count(k => k.StartsWith(folder + "/", StringComparison.Ordinal));
        output.WriteLine($"{folder}: {judged - wrong.Count}/{judged} right; {string.Join(", ", kinds.Select(k => $"{k.Key} {k.Value}"))}");
        Assert.True(wrong.Count == 0,
            $"{wrong.Count} of {judged} messages in sisimai maildir/{folder} should be {(robots ? "robots" : "people")}:\n{string.Join('\n', wrong)}");
    }

    private static IEnumerable<string> SisimaiFiles(string folder) =>
        Directory.GetFiles(Corpora.Path("sisimai-set-of-emails", "maildir", folder), "*.eml").Order(StringComparer.Ordinal);

    private static MimeMessage Sisimai(string name) =>
        Load(Corpora.Path("sisimai-set-of-emails", "maildir", name.Replace('/', Path.DirectorySeparatorChar)));

    /// <summary>
    /// Reads a corpus file. MimeKit's parser ends lines at LF only, so a file with bare CR line endings (sisimai's
    /// mac/ folder) reads as one long header; those files are turned into CRLF first (CR not followed by LF → CRLF).
    /// </summary>
    private static MimeMessage Load(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (Array.IndexOf(bytes, (byte)'\n') < 0 && Array.IndexOf(bytes, (byte)'\r') >= 0)
        {
            var text = Encoding.Latin1.GetString(bytes).Replace("\r", "\r\n", StringComparison.Ordinal);
            bytes = Encoding.Latin1.GetBytes(text);
        }
        return MimeMessage.Load(new MemoryStream(bytes));
    }

    private static MimeMessage Parse(string raw) => MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(raw.Replace("\n", "\r\n", StringComparison.Ordinal))));

    private static MimeMessage WithSubject(string subject)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Someone", "someone@example.net"));
        message.To.Add(new MailboxAddress("Desk", "support@desk.example"));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = "Hello" };
        return message;
    }
}
