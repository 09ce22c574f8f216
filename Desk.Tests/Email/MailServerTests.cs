using System.Diagnostics;
using System.Globalization;
using System.Net;
using Desk.Tests.Support;
using Desk.Web.Data;
using Desk.Web.Email.Intake;
using Desk.Web.Email.Servers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using MimeKit.Utils;

namespace Desk.Tests.Email;

/// <summary>
/// Mail servers admins keep on /admin/mail, against the real mail stack on 127.0.0.1: a mailbox added on the page is
/// polled at once (no restart) and its mail becomes a ticket, and disabling or deleting it stops its poller; the connection
/// test tells a right password from a wrong one, for IMAP and SMTP; the password is stored protected, and another desk on
/// the same database reads it.
/// </summary>
[Collection(MailStackCollection.Name)]
public abstract class MailServerTests(MailServersDesk desk, MailStack stack)
{
    private const string Password = "Mail-Server-Pw-1";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private string Tag => desk.Provider.ToString().ToLowerInvariant();

    [MailStackStorageFact]
    public async Task AddedOnThePage_IsPolledWithoutRestart_AndItsMailBecomesATicket()
    {
        var (deskAddress, customer) = await MailboxesAsync("added");
        var admin = await desk.SignedInAsync("admin"); // the desk runs, with no mailbox in its settings
        var name = $"Shop inbox {Tag}";

        var saved = await Forms.PostAsync(admin, "/admin/mail/servers/new/Imap", "/admin/mail/servers/new/Imap", ImapFields(name, deskAddress, Password));
        Assert.Equal("/admin/mail?done=saved", saved.Headers.Location?.OriginalString);

        var complaint = Mail(customer, deskAddress, "The kettle leaks", "Water runs out under the handle.");
        await stack.SendAsync(complaint);
        var inbound = await UntilAsync(db => db.InboundMails.SingleOrDefaultAsync(m => m.MessageId == complaint.MessageId));
        Assert.Equal((InboundOutcome.Opened, name), (inbound.Outcome, inbound.Source));
        Assert.NotNull(inbound.TicketId);
        var page = WebUtility.HtmlDecode(await admin.GetStringAsync("/admin/mail"));
        Assert.Contains($"data-server=\"{name}\" data-from-settings=\"false\"", page);
        Assert.Contains($"data-source=\"{name}\"", page); // its polling status, beside the drop folder's

        // Disabled: its poller stops and lets go of the mailbox's lease.
        var server = await ServerAsync(name);
        var fields = ImapFields(name, deskAddress, "");
        fields["Enabled"] = "false";
        fields["Version"] = server.Version.ToString(CultureInfo.InvariantCulture);
        var disabled = await Forms.PostAsync(admin, $"/admin/mail/servers/{server.Id}", $"/admin/mail/servers/{server.Id}", fields);
        Assert.Equal(HttpStatusCode.Redirect, disabled.StatusCode);
        Assert.True(await LeaseFreedAsync("mailbox " + name), "the disabled mailbox is still polled");
        Assert.DoesNotContain($"data-source=\"{name}\"", WebUtility.HtmlDecode(await admin.GetStringAsync("/admin/mail")));
        Assert.Equal(server.ProtectedPassword, (await ServerAsync(name)).ProtectedPassword); // an empty password field kept it

        var deleted = await Forms.PostAsync(admin, $"/admin/mail/servers/{server.Id}", $"/admin/mail/servers/{server.Id}/delete", []);
        Assert.Equal("/admin/mail?done=deleted", deleted.Headers.Location?.OriginalString);
        await using var after = desk.Database.NewContext();
        Assert.False(await after.MailServers.AnyAsync(s => s.Name == name));
    }

    [MailStackStorageFact]
    public async Task TestConnection_RightOrWrongPassword_SaysSoPlainlyAndSavesNothing()
    {
        var (deskAddress, _) = await MailboxesAsync("test");
        var admin = await desk.SignedInAsync("admin");
        await using var before = desk.Database.NewContext();
        var count = await before.MailServers.CountAsync();

        var imapRight = await TestAsync(admin, "Imap", ImapFields("try", deskAddress, Password));
        Assert.Contains("data-step=\"Ok\"", imapRight);
        Assert.Contains("Connected, signed in and opened the folder INBOX.", imapRight);

        var imapWrong = await TestAsync(admin, "Imap", ImapFields("try", deskAddress, "not-the-password"));
        Assert.Contains("data-step=\"Authentication\"", imapWrong);
        Assert.Contains("Authentication failed", imapWrong);
        Assert.DoesNotContain("not-the-password", imapWrong); // never shown back
        Assert.DoesNotContain("   at ", imapWrong); // no stack trace

        var missingFolder = ImapFields("try", deskAddress, Password);
        missingFolder["Folder"] = "No such folder";
        Assert.Contains("data-step=\"Folder\"", await TestAsync(admin, "Imap", missingFolder));

        var nothingThere = ImapFields("try", deskAddress, Password);
        nothingThere["Port"] = "1";
        Assert.Contains("data-step=\"Connect\"", await TestAsync(admin, "Imap", nothingThere));

        var smtpRight = await TestAsync(admin, "Smtp", SmtpFields(deskAddress, Password));
        Assert.Contains("data-step=\"Ok\"", smtpRight);
        Assert.Contains("Connected, greeted the server (EHLO) and signed in.", smtpRight);
        var smtpWrong = await TestAsync(admin, "Smtp", SmtpFields(deskAddress, "not-the-password"));
        Assert.Contains("data-step=\"Authentication\"", smtpWrong);

        await using var after = desk.Database.NewContext();
        Assert.Equal(count, await after.MailServers.CountAsync());
    }

    [MailStackStorageFact]
    public async Task Secret_IsProtectedInTheDatabase_AndAnotherDeskOnTheSameDatabaseReadsIt()
    {
        var (deskAddress, _) = await MailboxesAsync("secret");
        var admin = await desk.SignedInAsync("admin");
        var secret = $"Plain-{Guid.NewGuid():N}";
        var smtpSaved = await Forms.PostAsync(admin, "/admin/mail/servers/new/Smtp", "/admin/mail/servers/new/Smtp", SmtpFields(deskAddress, secret));
        Assert.Equal(HttpStatusCode.Redirect, smtpSaved.StatusCode);

        await using (var db = desk.Database.NewContext())
        {
            var stored = await db.MailServers.AsNoTracking().SingleAsync(s => s.Kind == MailServerKind.Smtp);
            Assert.NotNull(stored.ProtectedPassword);
            Assert.DoesNotContain(secret, stored.ProtectedPassword);
            Assert.DoesNotContain(deskAddress, stored.ProtectedPassword);
        }
        var edit = await admin.GetStringAsync($"/admin/mail/servers/{(await ServerAsync("SMTP", MailServerKind.Smtp)).Id}");
        Assert.DoesNotContain(secret, edit);
        Assert.Contains("data-secret=\"password\">(set; type a new one to replace it)", WebUtility.HtmlDecode(edit));

        using var second = DeskWebFactory.On(desk.Storage);
        using var scope = second.Services.CreateScope();
        var smtp = await scope.ServiceProvider.GetRequiredService<MailServers>().SmtpAsync(CancellationToken.None);
        Assert.Equal((stack.Host, deskAddress, secret), (smtp.Host, smtp.User, smtp.Password));

        await using var cleanup = desk.Database.NewContext();
        await cleanup.MailServers.Where(s => s.Kind == MailServerKind.Smtp).ExecuteDeleteAsync(); // the outbox of the other tests goes on as before
    }

    [StorageFact]
    public async Task Save_IllegalOrStaleOrUnauthorised_IsRefusedAndChangesNothing()
    {
        var agent = await desk.SignedInAsync("alice");
        Assert.StartsWith("/account/denied", (await agent.GetAsync("/admin/mail/servers/new/Imap")).Headers.Location!.PathAndQuery);
        var admin = await desk.SignedInAsync("admin");
        var name = $"Refusals {Tag}";
        var noToken = await admin.PostAsync("/admin/mail/servers/new/Imap", new FormUrlEncodedContent(ImapFields(name, "refused@desk.test", "pw")));
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode); // antiforgery

        var noPassword = await Forms.PostAsync(admin, "/admin/mail/servers/new/Imap", "/admin/mail/servers/new/Imap", ImapFields(name, "refused@desk.test", ""));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noPassword.StatusCode);
        Assert.Contains("Give the mailbox's password.", WebUtility.HtmlDecode(await noPassword.Content.ReadAsStringAsync()));
        await using (var db = desk.Database.NewContext())
            Assert.False(await db.MailServers.AnyAsync(s => s.Name == name));

        var fields = ImapFields(name, "refused@desk.test", "pw");
        fields["Enabled"] = "false"; // not polled: this test is about the form
        Assert.Equal(HttpStatusCode.Redirect, (await Forms.PostAsync(admin, "/admin/mail/servers/new/Imap", "/admin/mail/servers/new/Imap", fields)).StatusCode);
        var twice = await Forms.PostAsync(admin, "/admin/mail/servers/new/Imap", "/admin/mail/servers/new/Imap", fields);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, twice.StatusCode);
        Assert.Contains($"There is already a mail server called {name}.", WebUtility.HtmlDecode(await twice.Content.ReadAsStringAsync()));
        var server = await ServerAsync(name);
        var first = new Dictionary<string, string>(fields) { ["Host"] = "first.example", ["Password"] = "", ["Version"] = server.Version.ToString(CultureInfo.InvariantCulture) };
        var second = new Dictionary<string, string>(first) { ["Host"] = "second.example" };
        Assert.Equal(HttpStatusCode.Redirect, (await Forms.PostAsync(admin, $"/admin/mail/servers/{server.Id}", $"/admin/mail/servers/{server.Id}", first)).StatusCode);
        var stale = await Forms.PostAsync(admin, $"/admin/mail/servers/{server.Id}", $"/admin/mail/servers/{server.Id}", second); // read before the first save
        Assert.Equal(HttpStatusCode.UnprocessableEntity, stale.StatusCode);
        Assert.Contains("Someone else changed this mail server meanwhile", WebUtility.HtmlDecode(await stale.Content.ReadAsStringAsync()));
        Assert.Equal("first.example", (await ServerAsync(name)).Host);

        await using var cleanup = desk.Database.NewContext();
        await cleanup.MailServers.Where(s => s.Name == name).ExecuteDeleteAsync();
    }

    [StorageFact]
    public async Task DropFolder_SetOnThePage_IsPolledWithoutRestart_AndTurnedOffStopsIntake()
    {
        var admin = await desk.SignedInAsync("admin");
        var folder = Directory.CreateTempSubdirectory($"desk-drop-{Tag}-").FullName;
        try
        {
            var saved = await Forms.PostAsync(admin, "/admin/mail/drop-folder", "/admin/mail/drop-folder", DropFolderFields(folder, enabled: true, version: 0));
            Assert.Equal("/admin/mail?done=saved", saved.Headers.Location?.OriginalString);
            var page = WebUtility.HtmlDecode(await admin.GetStringAsync("/admin/mail"));
            Assert.Contains("id=\"drop-folder\" data-from-page=\"true\"", page);
            Assert.Contains(folder, page); // the path in use is shown back

            var mail = MailDesk.CustomerMail($"drop-{Tag}@customer.test", $"Dropped on the page {Tag}", "The lid does not close.");
            var file = await DropAsync(folder, "first.eml", mail);
            var inbound = await UntilAsync(db => db.InboundMails.SingleOrDefaultAsync(m => m.MessageId == mail.MessageId));
            Assert.Equal(DropFolderIntake.Source, inbound.Source);
            Assert.NotNull(inbound.TicketId);
            await UntilAsync(_ => Task.FromResult(File.Exists(Path.Combine(folder, "processed", "first.eml")) && !File.Exists(file) ? "moved" : null));

            // Turned off: the poller lets the folder be (a file put there stays, and makes no ticket).
            var stored = await ServerAsync(DropFolderIntake.Source, MailServerKind.DropFolder);
            var off = await Forms.PostAsync(admin, "/admin/mail/drop-folder", "/admin/mail/drop-folder", DropFolderFields(folder, enabled: false, version: stored.Version));
            Assert.Equal(HttpStatusCode.Redirect, off.StatusCode);
            var intake = desk.Services.GetRequiredService<DropFolderIntake>();
            await UntilAsync(_ => Task.FromResult(intake.InUse is null ? "off" : null));
            var ignored = MailDesk.CustomerMail($"drop-{Tag}@customer.test", $"Dropped while off {Tag}", "Nobody should read this.");
            var waiting = await DropAsync(folder, "second.eml", ignored);
            await Task.Delay(TimeSpan.FromSeconds(2.5)); // two rounds of a poller that would read it
            Assert.True(File.Exists(waiting), "the folder was read while turned off");
            await using (var db = desk.Database.NewContext())
                Assert.False(await db.InboundMails.AnyAsync(m => m.MessageId == ignored.MessageId));
            Assert.Contains("data-from-page=\"true\"", WebUtility.HtmlDecode(await admin.GetStringAsync("/admin/mail")));
        }
        finally
        {
            // Back to the settings file's folder, as the other tests expect.
            var reset = await Forms.PostAsync(admin, "/admin/mail/drop-folder", "/admin/mail/drop-folder/reset", []);
            Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);
            Directory.Delete(folder, recursive: true);
        }
        await using var after = desk.Database.NewContext();
        Assert.False(await after.MailServers.AnyAsync(s => s.Kind == MailServerKind.DropFolder));
        var intakeAfter = desk.Services.GetRequiredService<DropFolderIntake>();
        await UntilAsync(_ => Task.FromResult(intakeAfter.InUse == intakeAfter.Folder ? "settings" : null));
    }

    [StorageFact]
    public async Task DropFolderTest_MissingOrNotAFolderOrRelative_SaysWhatIsWrongAndSavesNothing()
    {
        var agent = await desk.SignedInAsync("alice");
        Assert.StartsWith("/account/denied", (await agent.GetAsync("/admin/mail/drop-folder")).Headers.Location!.PathAndQuery);
        var admin = await desk.SignedInAsync("admin");
        var missing = Path.Combine(Path.GetTempPath(), $"desk-no-such-folder-{Guid.NewGuid():N}");
        var noToken = await admin.PostAsync("/admin/mail/drop-folder", new FormUrlEncodedContent(DropFolderFields(missing, enabled: true, version: 0)));
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode); // antiforgery

        var tested = await DropFolderTestAsync(admin, missing);
        Assert.Contains("data-problem=\"Missing\"", tested);
        Assert.Contains($"There is no folder {missing} on this desk's machine: create it first.", tested);
        Assert.DoesNotContain("   at ", tested); // no stack trace
        var file = Path.GetTempFileName();
        try
        {
            Assert.Contains("data-problem=\"NotAFolder\"", await DropFolderTestAsync(admin, file));
        }
        finally
        {
            File.Delete(file);
        }
        Assert.Contains("data-problem=\"NotAbsolute\"", await DropFolderTestAsync(admin, "mail/inbox"));
        Assert.Contains("data-problem=\"Ok\"", await DropFolderTestAsync(admin, Path.GetTempPath()));

        var refused = await Forms.PostAsync(admin, "/admin/mail/drop-folder", "/admin/mail/drop-folder", DropFolderFields(missing, enabled: true, version: 0));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("data-problem=\"Missing\"", await refused.Content.ReadAsStringAsync());
        await using var db = desk.Database.NewContext();
        Assert.False(await db.MailServers.AnyAsync(s => s.Kind == MailServerKind.DropFolder));
    }

    private static Dictionary<string, string> DropFolderFields(string path, bool enabled, int version) => new()
    {
        ["Path"] = path, ["Enabled"] = enabled ? "true" : "false", ["Version"] = version.ToString(CultureInfo.InvariantCulture), ["act"] = "save",
    };

    private static async Task<string> DropFolderTestAsync(HttpClient admin, string path)
    {
        var fields = DropFolderFields(path, enabled: true, version: 0);
        fields["act"] = "test";
        var response = await Forms.PostAsync(admin, "/admin/mail/drop-folder", "/admin/mail/drop-folder", fields);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    /// <summary>Writes <paramref name="mail"/> into <paramref name="folder"/> as a settled .eml file (written a while ago).</summary>
    private static async Task<string> DropAsync(string folder, string name, MimeMessage mail)
    {
        var file = Path.Combine(folder, name);
        await File.WriteAllBytesAsync(file, MailDesk.Bytes(mail));
        File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddSeconds(-5));
        return file;
    }

    private Dictionary<string, string> ImapFields(string name, string user, string password) => new()
    {
        ["Name"] = name, ["Host"] = stack.Host, ["Port"] = stack.ImapPort.ToString(CultureInfo.InvariantCulture), ["Security"] = "None",
        ["User"] = user, ["Password"] = password, ["SignIn"] = "Password", ["Folder"] = "INBOX", ["Enabled"] = "true", ["Version"] = "0", ["act"] = "save",
    };

    private Dictionary<string, string> SmtpFields(string user, string password) => new()
    {
        ["Name"] = "SMTP", ["Host"] = stack.Host, ["Port"] = stack.SmtpPort.ToString(CultureInfo.InvariantCulture), ["Security"] = "None",
        ["User"] = user, ["Password"] = password, ["SignIn"] = "Password", ["Enabled"] = "true", ["Version"] = "0", ["act"] = "save",
    };

    private static async Task<string> TestAsync(HttpClient admin, string kind, Dictionary<string, string> fields)
    {
        fields["act"] = "test";
        var response = await Forms.PostAsync(admin, $"/admin/mail/servers/new/{kind}", $"/admin/mail/servers/new/{kind}", fields);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    private async Task<MailServer> ServerAsync(string name, MailServerKind kind = MailServerKind.Imap)
    {
        await using var db = desk.Database.NewContext();
        return await db.MailServers.AsNoTracking().SingleAsync(s => s.Name == name && s.Kind == kind);
    }

    /// <summary>Whether the lease on <paramref name="work"/> can be taken within the wait: nobody polls it any more.</summary>
    private async Task<bool> LeaseFreedAsync(string work)
    {
        var leases = desk.Services.GetRequiredService<WorkLeases>();
        var deadline = Stopwatch.GetTimestamp() + (long)(Wait.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (await leases.TryTakeAsync(work, CancellationToken.None) is { } lease)
            {
                await lease.DisposeAsync();
                return true;
            }
            await Task.Delay(50);
        }
        return false;
    }

    private async Task<(string Desk, string Customer)> MailboxesAsync(string test)
    {
        var deskAddress = $"desk-{test}-{Tag}@desk.test";
        var customer = $"ana-{test}-{Tag}@customer.test";
        await stack.AddUsersAsync((deskAddress, Password), (customer, Password));
        return (deskAddress, customer);
    }

    private async Task<T> UntilAsync<T>(Func<DeskDbContext, Task<T?>> query) where T : class
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(Wait.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            await using (var db = desk.Database.NewContext())
                if (await query(db) is { } found) return found;
            if (Stopwatch.GetTimestamp() > deadline) throw new TimeoutException($"Nothing after {Wait.TotalSeconds} s.");
            await Task.Delay(50);
        }
    }

    private static MimeMessage Mail(string from, string to, string subject, string text)
    {
        var message = new MimeMessage { Subject = subject, Body = new TextPart("plain") { Text = text }, MessageId = MimeUtils.GenerateMessageId("customer.test") };
        message.From.Add(new MailboxAddress("Ana", from));
        message.To.Add(new MailboxAddress("Desk", to));
        return message;
    }
}

/// <summary>A desk with no mailbox in its settings (it reads the drop folder): every mail server comes from the page.</summary>
public class MailServersDesk : MailDesk
{
    public override int DemoTickets => 30;
}

public sealed class PostgresMailServersDesk : MailServersDesk
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
}

public sealed class MailServerTestsOnSqlite(MailServersDesk desk, MailStack stack) : MailServerTests(desk, stack), IClassFixture<MailServersDesk>;

public sealed class MailServerTestsOnPostgres(PostgresMailServersDesk desk, MailStack stack) : MailServerTests(desk, stack), IClassFixture<PostgresMailServersDesk>, IRunsOnPostgres
{
    /// <summary>Several desks on one PostgreSQL database: a server saved on one wakes the others' pollers (NOTIFY), not only their 30 s backstop.</summary>
    [StorageFact]
    public async Task Saved_OnOneDesk_WakesTheOtherDesksPollers()
    {
        var admin = await desk.SignedInAsync("admin");
        using var second = DeskWebFactory.On(desk.Storage);
        var heard = 0;
        second.Services.GetRequiredService<DeskSignals>().On(DeskSignals.MailSources, () => Interlocked.Increment(ref heard));
        // A desk raises every channel once when it begins to listen: let that pass, then count from nothing.
        await WithinAsync(() => Volatile.Read(ref heard) > 0, TimeSpan.FromSeconds(5));
        Interlocked.Exchange(ref heard, 0);

        var saved = await Forms.PostAsync(admin, "/admin/mail/servers/new/Imap", "/admin/mail/servers/new/Imap", new()
        {
            ["Name"] = "Woken elsewhere", ["Host"] = "127.0.0.1", ["Port"] = "1", ["Security"] = "None", ["User"] = "woken@desk.test",
            ["Password"] = "x", ["SignIn"] = "Password", ["Enabled"] = "false", ["Version"] = "0", ["act"] = "save",
        });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.True(await WithinAsync(() => Volatile.Read(ref heard) > 0, TimeSpan.FromSeconds(10)), "the other desk did not hear of the new mail server");

        await using var cleanup = desk.Database.NewContext();
        await cleanup.MailServers.Where(s => s.Name == "Woken elsewhere").ExecuteDeleteAsync();
    }

    private static async Task<bool> WithinAsync(Func<bool> condition, TimeSpan limit)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        while (!condition())
        {
            if (Stopwatch.GetTimestamp() > deadline) return false;
            await Task.Delay(20);
        }
        return true;
    }
}
