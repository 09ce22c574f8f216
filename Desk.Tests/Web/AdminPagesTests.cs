using System.Net;
using Desk.Domain.Customers;
using Desk.Domain.Tickets;
using Desk.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Desk.Tests.Web;

public abstract class AdminPagesTests(DeskWebFactory factory) : IAsyncLifetime
{
    private HttpClient _admin = null!;

    public async Task InitializeAsync() => _admin = await factory.SignedInAsync("admin");

    public Task DisposeAsync() => Task.CompletedTask;

    [StorageFact]
    public async Task RootCauses_AddSubCause_IsOfferedWhenResolving()
    {
        var response = await Forms.PostAsync(_admin, "/admin/root-causes", "/admin/root-causes",
            new() { ["Name"] = "Parcel locker full", ["NameZh"] = "快递柜已满", ["ParentId"] = "70" });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        await using var db = factory.Database.NewContext();
        var added = await db.RootCauses.SingleAsync(c => c.Code == "delivery/parcel-locker-full");
        Assert.Equal((70, "快递柜已满", true), (added.ParentId!.Value, added.NameZh, added.IsActive));
        Assert.True(added.Id >= 1000);
        var open = await db.Tickets.FirstAsync(t => t.State == TicketState.InProgress);
        var agent = await factory.SignedInAsync("li.na");
        Assert.Contains($"<option value=\"{added.Id}\">Parcel locker full</option>", await agent.GetStringAsync($"/tickets/{open.Number}"));
    }

    [StorageFact]
    public async Task RootCauses_Duplicate_IsRefusedWithMessage()
    {
        var response = await Forms.PostAsync(_admin, "/admin/root-causes", "/admin/root-causes",
            new() { ["Name"] = "Lost", ["ParentId"] = "70" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("already a cause", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }

    [StorageFact]
    public async Task RootCauses_ThirdLevel_IsRefused()
    {
        var response = await Forms.PostAsync(_admin, "/admin/root-causes", "/admin/root-causes",
            new() { ["Name"] = "Too deep", ["ParentId"] = "71" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("two levels", await response.Content.ReadAsStringAsync());
    }

    [StorageFact]
    public async Task RootCauses_Retire_StopsOfferingItButKeepsItOnTickets()
    {
        var response = await Forms.PostAsync(_admin, "/admin/root-causes", "/admin/root-causes/92",
            new() { ["change"] = "retire", ["Name"] = "Warranty refused" });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await using var db = factory.Database.NewContext();
        Assert.False((await db.RootCauses.SingleAsync(c => c.Id == 92)).IsActive);
        var open = await db.Tickets.FirstAsync(t => t.State == TicketState.InProgress);
        var page = await (await factory.SignedInAsync("li.na")).GetStringAsync($"/tickets/{open.Number}");
        Assert.DoesNotContain("<option value=\"92\">", page);
        var used = await db.Tickets.FirstOrDefaultAsync(t => t.RootCauseId == 92);
        if (used is not null)
            Assert.Contains("Warranty refused", WebUtility.HtmlDecode(await (await factory.SignedInAsync("li.na")).GetStringAsync($"/tickets/{used.Number}")));
    }

    [StorageFact]
    public async Task Sla_SaveNewTargets_AppliesToTicketsReceivedFromNowOn()
    {
        var page = await _admin.GetStringAsync("/admin/sla");
        Assert.Contains("name=\"FirstResponse[Minor.Basic]\" value=\"8\"", page); // the default, as the form shows it
        var fields = await CurrentSlaFields();
        fields["FirstResponse[Minor.Basic]"] = "1.5";
        fields["Resolution[Minor.Basic]"] = "30";
        var response = await Forms.PostAsync(_admin, "/admin/sla", "/admin/sla", fields);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Saved.", await response.Content.ReadAsStringAsync());

        var filed = await PublicComplaintTests.FileAsync(factory.CreateClient(new() { AllowAutoRedirect = false }), "sla.sam@example.org", "SLA check");
        Assert.Equal(HttpStatusCode.Redirect, filed.StatusCode);
        await using var db = factory.Database.NewContext();
        var customer = await db.Customers.SingleAsync(c => c.Email == "sla.sam@example.org");
        var ticket = await db.Tickets.SingleAsync(t => t.CustomerId == customer.Id);
        Assert.Equal(RelationshipLevel.Basic, ticket.CustomerLevel);
        Assert.Equal((TimeSpan.FromHours(1.5), TimeSpan.FromHours(30)), (ticket.FirstResponseDueAt - ticket.ReceivedAt, ticket.ResolutionDueAt - ticket.ReceivedAt));
    }

    [StorageTheory]
    [InlineData("Resolution[Major.Partnership]", "0.5", "cannot be shorter")]
    [InlineData("FirstResponse[Major.Basic]", "soon", "is not a number")]
    public async Task Sla_InvalidTarget_IsRefusedAndNothingIsSaved(string field, string value, string message)
    {
        await using var before = factory.Database.NewContext();
        var snapshot = await before.SlaTargets.AsNoTracking().OrderBy(t => t.Id).Select(t => new { t.FirstResponseMinutes, t.ResolutionMinutes }).ToListAsync();
        var fields = await CurrentSlaFields();
        fields["Resolution[Minor.Reactive]"] = "99"; // a valid change alongside the bad one must not be saved either
        fields[field] = value;

        var response = await Forms.PostAsync(_admin, "/admin/sla", "/admin/sla", fields);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync());
        await using var after = factory.Database.NewContext();
        Assert.Equal(snapshot, await after.SlaTargets.AsNoTracking().OrderBy(t => t.Id).Select(t => new { t.FirstResponseMinutes, t.ResolutionMinutes }).ToListAsync());
    }

    [StorageTheory]
    [InlineData("/admin/root-causes")]
    [InlineData("/admin/sla")]
    public async Task AdminPages_Agent_IsDenied(string path)
    {
        var agent = await factory.SignedInAsync("farid");
        var response = await agent.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/denied", response.Headers.Location!.PathAndQuery);
    }

    private async Task<Dictionary<string, string>> CurrentSlaFields()
    {
        await using var db = factory.Database.NewContext();
        var fields = new Dictionary<string, string>();
        foreach (var t in await db.SlaTargets.AsNoTracking().ToListAsync())
        {
            fields[$"FirstResponse[{t.Severity}.{t.Level}]"] = t.FirstResponse.TotalHours.ToString(System.Globalization.CultureInfo.InvariantCulture);
            fields[$"Resolution[{t.Severity}.{t.Level}]"] = t.Resolution.TotalHours.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return fields;
    }
}

public sealed class AdminPagesTestsOnSqlite(DeskWebFactory factory) : AdminPagesTests(factory), IClassFixture<DeskWebFactory>;

public sealed class AdminPagesTestsOnPostgres(PostgresDesk factory) : AdminPagesTests(factory), IClassFixture<PostgresDesk>, IRunsOnPostgres;
