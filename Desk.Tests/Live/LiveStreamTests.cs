using System.Diagnostics;
using System.Net;
using Desk.Domain.Tickets;
using Desk.Tests.Support;
using Desk.Web.Data;
using Desk.Web.Features.Arrival;
using Microsoft.Extensions.DependencyInjection;

namespace Desk.Tests.Live;

/// <summary>
/// The live feed across desks on one database: PostgreSQL carries the ticket signal by NOTIFY, SQLite desks see the
/// change marker move. An agent's stream on one desk hears of a complaint filed on the other.
/// </summary>
public abstract class LiveStreamTests(DatabaseProvider provider)
{
    [StorageFact]
    public async Task ComplaintFiledOnAnotherDesk_StreamsTicketsEventWithinFiveSeconds()
    {
        using var database = new TestDatabase(provider);
        await using var first = new SharedDesk(database);
        await using var second = new SharedDesk(database);
        _ = second.Services; // both desks up before the stream opens
        var bob = await first.SignedInAsync("bob");
        using var response = await bob.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/live"), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        await ReadUntilAsync(reader, line => line.StartsWith("retry:", StringComparison.Ordinal), TimeSpan.FromSeconds(5));
        await Task.Delay(1500); // the first desk's feed has read where the database stands

        var filed = Stopwatch.StartNew();
        await FileAsync(second, "Live across desks");
        var heard = await ReadUntilAsync(reader, line => line == "event: tickets", TimeSpan.FromSeconds(5));

        Assert.True(heard, $"no tickets event on the first desk within 5 s of the filing on the second ({filed.Elapsed.TotalSeconds:0.0} s)");
    }

    [StorageFact]
    public async Task Presence_AgentOnAnotherDesk_StreamedToTheTicketPageWithinFiveSeconds()
    {
        using var database = new TestDatabase(provider);
        await using var first = new SharedDesk(database);
        await using var second = new SharedDesk(database);
        _ = first.Services; // started: demo data in
        _ = second.Services;
        long id;
        await using (var db = database.NewContext())
            id = db.Tickets.Where(t => t.State == TicketState.InProgress).Select(t => t.Id).First();
        var number = TicketNumber.Format(id);
        var alice = await first.SignedInAsync("alice");
        var bob = await second.SignedInAsync("bob");

        using var aliceStream = await alice.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/live?ticket={number}&version=1"), HttpCompletionOption.ResponseHeadersRead);
        using var aliceReader = new StreamReader(await aliceStream.Content.ReadAsStreamAsync());
        using var bobStream = await bob.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/live?ticket={number}&version=1"), HttpCompletionOption.ResponseHeadersRead);

        var seen = await ReadUntilAsync(aliceReader, line => line.StartsWith("data: [", StringComparison.Ordinal) && line.Contains("\"bob\"", StringComparison.Ordinal),
            TimeSpan.FromSeconds(5));

        Assert.True(seen, "alice's stream on the first desk did not show bob, on the second desk, on the ticket within 5 s");
    }

    [StorageFact]
    public async Task Stream_WithoutSignIn_IsRefused()
    {
        using var database = new TestDatabase(provider);
        await using var desk = new SharedDesk(database);
        var client = desk.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await client.GetAsync("/live", HttpCompletionOption.ResponseHeadersRead);
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual("text/event-stream", response.Content.Headers.ContentType?.MediaType);
    }

    internal static async Task<Ticket> FileAsync(DeskWebFactory desk, string subject)
    {
        using var scope = desk.Services.CreateScope();
        var arrival = scope.ServiceProvider.GetRequiredService<ComplaintArrival>();
        var arrived = await arrival.FileAsync(new ArrivingComplaint("live.customer@example.org", "Lee Live", "en",
            new TicketIntake(TicketKind.Complaint, Channel.Email, Severity.Minor, subject, "The kettle's lid came off while pouring."), []), CancellationToken.None);
        return arrived.Ticket;
    }

    private static async Task<bool> ReadUntilAsync(StreamReader reader, Func<string, bool> wanted, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            while (await reader.ReadLineAsync(timeout.Token) is { } line)
                if (wanted(line)) return true;
        }
        catch (OperationCanceledException)
        {
        }
        return false;
    }
}

public sealed class LiveStreamTestsOnSqlite() : LiveStreamTests(DatabaseProvider.Sqlite);

public sealed class LiveStreamTestsOnPostgres() : LiveStreamTests(DatabaseProvider.Postgres), IRunsOnPostgres;
