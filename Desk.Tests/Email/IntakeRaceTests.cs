using Desk.Tests.Support;
using Desk.Web.Email.Intake;
using Microsoft.EntityFrameworkCore;

namespace Desk.Tests.Email;

/// <summary>
/// Two desks taking in the same mail at the same moment (the same mail sent to two of the desk's addresses, read from
/// two mailboxes by two desks): the second to commit finds the first's row — a duplicate, never a quarantined mail.
/// </summary>
public abstract class IntakeRaceTests(MailDesk desk)
{
    [StorageTheory]
    [InlineData(0)]
    [InlineData(3)]
    public async Task Take_SameMailBeingStoredByAnotherDesk_IsADuplicateNotQuarantined(int batch)
    {
        var mails = Enumerable.Range(0, batch)
            .Select(i => MailDesk.Bytes(MailDesk.CustomerMail($"race{batch}-{i}@customer.test", "Kettle", "The kettle leaks.")))
            .ToList();
        var raced = MailDesk.CustomerMail($"race{batch}-raced@customer.test", "Kettle", "The kettle leaks.");
        var racedRaw = MailDesk.Bytes(raced);
        mails.Add(racedRaw);
        var key = InboundMail.KeyFor(raced.MessageId, racedRaw);

        // The other desk has stored the mail and not committed yet.
        await using var other = desk.Database.NewContext();
        await using (var transaction = await other.BeginWriteAsync())
        {
            other.InboundMails.Add(new InboundMail(key, raced.MessageId, "other desk", $"race{batch}-raced@customer.test", "Kettle",
                MailDesk.Now, InboundOutcome.Opened, null, racedRaw));
            await other.SaveChangesAsync();

            var taking = Task.Run(async () =>
            {
                using var scope = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.CreateScope(desk.Services);
                var intake = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<MailIntake>(scope.ServiceProvider);
                return await intake.TakeManyAsync(mails, "this desk", CancellationToken.None);
            });
            await Task.Delay(500); // this desk is waiting for the other's row
            await transaction.CommitAsync();
            var results = await taking;

            Assert.Equal(IntakeOutcome.Duplicate, results[^1].Outcome);
            Assert.All(results.SkipLast(1), r => Assert.Equal(IntakeOutcome.Opened, r.Outcome));
        }
        await using var db = desk.Database.NewContext();
        Assert.False(await db.QuarantinedMails.AnyAsync(q => q.Source == "this desk"));
        Assert.Equal(1, await db.InboundMails.CountAsync(m => m.DedupeKey == key));
    }
}

public sealed class IntakeRaceTestsOnSqlite(MailDesk desk) : IntakeRaceTests(desk), IClassFixture<MailDesk>;

public sealed class IntakeRaceTestsOnPostgres(PostgresMailDesk desk) : IntakeRaceTests(desk), IClassFixture<PostgresMailDesk>, IRunsOnPostgres;
