using Desk.Tests.Support;
using Desk.Web.Email.Intake;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Desk.Tests.Email;

/// <summary>
/// Real-world mail through the whole intake, as a poller hands it over: robots (every bounce, auto-reply and report in
/// sisimai's set) open no ticket and get no mail; people do; broken and odd mail (ruby-mail-gem, spamscope) becomes a
/// ticket, a robot's record or a quarantine entry with a reason — never an exception that would stop the poller.
/// </summary>
public abstract class CorpusIntakeTests(MailDesk desk, ITestOutputHelper output)
{
    /// <summary>Files in sisimai's folders that are not what their folder says (the robot tests give the evidence).</summary>
    private static readonly Dictionary<string, bool> Exceptions = new(StringComparer.Ordinal)
    {
        ["bsd/lhost-sendmail-14.eml"] = false, // a person forwarding a bounce: a ticket
        ["err/make-test-36.eml"] = false,      // likewise
        ["not/rb-issue-368-bug.eml"] = true,   // a real mailbox-full bounce kept in not/ for a parser bug of sisimai's
    };

    [CorpusTheory]
    [InlineData("bsd")]
    [InlineData("dos")]
    [InlineData("mac")]
    [InlineData("err")]
    [InlineData("tmp")]
    [InlineData("not")]
    public async Task Take_SisimaiFolder_RobotsOpenNothingAndSendNothingPeopleOpenTickets(string folder)
    {
        var wrong = new List<string>();
        var files = Directory.EnumerateFiles(Corpora.Path("sisimai-set-of-emails", "maildir", folder)).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var name = $"{folder}/{Path.GetFileName(file)}";
            var robot = Exceptions.TryGetValue(name, out var isRobot) ? isRobot : folder != "not";
            var result = await desk.TakeAsync(await File.ReadAllBytesAsync(file), "sisimai " + name);
            var expected = robot ? IntakeOutcome.Robot : IntakeOutcome.Opened;
            // Several files are one mail (the same Message-ID in bsd/, dos/, mac/, or twice in a folder): taken once, and
            // the copy counts as what the first was taken in as.
            var outcome = result.Outcome == IntakeOutcome.Duplicate
                ? result.Reason!.Contains($"({InboundOutcome.Robot})", StringComparison.Ordinal) ? IntakeOutcome.Robot : IntakeOutcome.Opened
                : result.Outcome;
            if (outcome != expected)
                wrong.Add($"{name}: {result.Outcome} ({result.Reason})");
        }
        await using var db = desk.Database.NewContext();
        var robotTickets = await db.InboundMails.CountAsync(m => m.Source.StartsWith("sisimai " + folder + "/") && m.Outcome == InboundOutcome.Robot && m.ConversationEntryId != null);
        output.WriteLine($"{folder}: {files.Count} mails, {wrong.Count} wrong");
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        Assert.Equal(0, robotTickets);
        if (folder != "not") // nothing was sent to any robot: every acknowledgement went to a person's ticket
            Assert.Equal(0, await (from m in db.OutboundMails
                                   join i in db.InboundMails on m.TicketId equals i.TicketId
                                   where i.Source.StartsWith("sisimai " + folder + "/") && i.Outcome == InboundOutcome.Robot
                                   select m).CountAsync());
    }

    [CorpusTheory]
    [InlineData("ruby-mail-gem", "spec/fixtures")]
    [InlineData("spamscope-mail-parser", "tests")]
    public async Task Take_OddAndBrokenMail_BecomesATicketARecordOrAQuarantineEntryNeverAnError(string corpus, string folder)
    {
        var outcomes = new Dictionary<IntakeOutcome, int>();
        foreach (var file in Directory.EnumerateFiles(Corpora.Path(corpus, folder), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (Path.GetExtension(file) is ".rb" or ".py" or ".json" or ".md" or ".txt" && !LooksLikeMail(file)) continue;
            var result = await desk.TakeAsync(await File.ReadAllBytesAsync(file), $"{corpus} {Path.GetRelativePath(Corpora.Path(corpus), file)}");
            outcomes[result.Outcome] = outcomes.GetValueOrDefault(result.Outcome) + 1;
            if (result.Outcome == IntakeOutcome.Quarantined) Assert.False(string.IsNullOrWhiteSpace(result.Reason), file);
        }
        output.WriteLine($"{corpus}: " + string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key} {o.Value}")));
        Assert.True(outcomes.GetValueOrDefault(IntakeOutcome.Opened) > 0, "no ticket at all from " + corpus);
        await using var db = desk.Database.NewContext();
        Assert.Equal(outcomes.GetValueOrDefault(IntakeOutcome.Quarantined),
            await db.QuarantinedMails.CountAsync(q => q.Source.StartsWith(corpus + " ")));
    }

    private static bool LooksLikeMail(string file)
    {
        using var reader = new StreamReader(file);
        var first = reader.ReadLine() ?? "";
        return first.Contains(':') && !first.StartsWith('#') && !first.StartsWith("require", StringComparison.Ordinal);
    }
}

public sealed class CorpusIntakeTestsOnSqlite(MailDesk desk, ITestOutputHelper output) : CorpusIntakeTests(desk, output), IClassFixture<MailDesk>;

public sealed class CorpusIntakeTestsOnPostgres(PostgresMailDesk desk, ITestOutputHelper output) : CorpusIntakeTests(desk, output), IClassFixture<PostgresMailDesk>, IRunsOnPostgres;
