using System.Net;
using Desk.Domain.Customers;
using Desk.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace Desk.Tests.Web;

/// <summary>
/// Two complaints from one new address reaching two desks at the same moment: the second finds the customer the first
/// is creating and files its ticket under them, instead of failing on the address's unique index.
/// </summary>
public abstract class ComplaintRaceTests(DeskWebFactory desk)
{
    [StorageFact]
    public async Task Complain_CustomerBeingCreatedByAnotherDesk_IsFiledUnderThatCustomer()
    {
        const string address = "new-at-once@example.org";
        await using var other = desk.Database.NewContext();
        await using (var transaction = await other.BeginWriteAsync())
        {
            other.Customers.Add(new Customer(address, "Nora Quinn", DeskWebFactory.Now));
            await other.SaveChangesAsync();

            var client = desk.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
            var filing = Task.Run(() => PublicComplaintTests.FileAsync(client, address, "The blender sparks"));
            await Task.Delay(500); // this desk is waiting on the other's customer row
            await transaction.CommitAsync();
            var response = await filing;

            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/status/", response.Headers.Location!.OriginalString);
        }
        await using var db = desk.Database.NewContext();
        var customer = await db.Customers.SingleAsync(c => c.Email == address);
        Assert.Equal(1, await db.Tickets.CountAsync(t => t.CustomerId == customer.Id && t.Subject == "The blender sparks"));
    }
}

public sealed class ComplaintRaceTestsOnSqlite(DeskWebFactory desk) : ComplaintRaceTests(desk), IClassFixture<DeskWebFactory>;

public sealed class ComplaintRaceTestsOnPostgres(PostgresDesk desk) : ComplaintRaceTests(desk), IClassFixture<PostgresDesk>, IRunsOnPostgres;

