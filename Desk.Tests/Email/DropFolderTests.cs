using Desk.Tests.Support;
using Desk.Web.Email.Intake;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Desk.Tests.Email;

/// <summary>The drop folder takes a file only once it is whole: one still being written is left for a later round.</summary>
public abstract class DropFolderTests(MailDesk desk)
{
    [StorageFact]
    public async Task Drain_FileJustWritten_IsLeftUntilItHasSettled()
    {
        var intake = desk.Services.GetRequiredService<DropFolderIntake>();
        var mail = MailDesk.CustomerMail("halfway@customer.test", "Half a mail", "The first half of what I wanted to say, and the rest.");
        var bytes = MailDesk.Bytes(mail);
        var file = Path.Combine(intake.Folder, "halfway.eml");
        Directory.CreateDirectory(intake.Folder);
        // A writer halfway through: the headers and half the text so far.
        await File.WriteAllBytesAsync(file, bytes[..(bytes.Length - 20)]);

        Assert.Equal(0, await intake.DrainAsync(CancellationToken.None));
        Assert.True(File.Exists(file), "A file written to a moment ago must stay where it is.");

        // The writer finishes; a second later the file has settled and is taken in whole.
        await File.WriteAllBytesAsync(file, bytes);
        File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddSeconds(-5));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (File.Exists(file) && DateTime.UtcNow < deadline)
        {
            await intake.DrainAsync(CancellationToken.None);
            await Task.Delay(100);
        }

        await using var db = desk.Database.NewContext();
        var ticket = await db.Tickets.Include(t => t.Conversation).SingleAsync(t => t.Subject == "Half a mail");
        Assert.EndsWith("and the rest.", ticket.Conversation.First().Body.Trim());
    }
}

public sealed class DropFolderTestsOnSqlite(MailDesk desk) : DropFolderTests(desk), IClassFixture<MailDesk>;

public sealed class DropFolderTestsOnPostgres(PostgresMailDesk desk) : DropFolderTests(desk), IClassFixture<PostgresMailDesk>, IRunsOnPostgres;
