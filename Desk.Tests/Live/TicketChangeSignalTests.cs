using Desk.Domain.Tickets;
using Desk.Tests.Support;
using Desk.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Desk.Tests.Live;

/// <summary>Every committed ticket save raises <see cref="DeskSignals.Tickets"/>; a rolled-back one and a save without tickets do not.</summary>
public sealed class TicketChangeSignalTests(DeskWebFactory desk) : IClassFixture<DeskWebFactory>
{
    [Fact]
    public async Task Save_TicketChangedAlone_RaisesTicketsSignal()
    {
        var heard = Listen();
        await ChangeATicketAsync(commit: true, inTransaction: false);
        Assert.True(await heard.Task.WaitAsync(TimeSpan.FromSeconds(3)).ContinueWith(t => t.IsCompletedSuccessfully));
    }

    [Fact]
    public async Task Save_InTransactionRolledBack_RaisesNothing_CommittedRaises()
    {
        var heard = Listen();
        await ChangeATicketAsync(commit: false, inTransaction: true);
        await Task.Delay(800);
        Assert.False(heard.Task.IsCompleted, "a rolled-back change was announced");

        await ChangeATicketAsync(commit: true, inTransaction: true);
        Assert.True(await heard.Task.WaitAsync(TimeSpan.FromSeconds(3)).ContinueWith(t => t.IsCompletedSuccessfully));
    }

    private TaskCompletionSource Listen()
    {
        var heard = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var signals = desk.Services.GetRequiredService<DeskSignals>();
        Thread.Sleep(400); // a raise from an earlier test still on its way lands before this listener counts
        signals.On(DeskSignals.Tickets, () => heard.TrySetResult());
        return heard;
    }

    private async Task ChangeATicketAsync(bool commit, bool inTransaction)
    {
        using var scope = desk.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<DeskDbContext>();
        var ticket = await db.Tickets.Where(t => t.State == TicketState.InProgress).OrderBy(t => t.Id).FirstAsync();
        ticket.AddInternalNote("alice", DeskWebFactory.Now, "Checked with the warehouse.");
        if (!inTransaction)
        {
            await db.SaveChangesAsync();
            return;
        }
        await using var write = await db.BeginWriteAsync();
        await db.SaveChangesAsync();
        if (commit) await write.CommitAsync();
    }
}
