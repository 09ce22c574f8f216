using System.Net;
using Desk.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Desk.Tests.Web;

/// <summary>
/// A form the desk cannot take — a NUL character in a field, a field of megabytes, a post larger than any upload — is
/// the sender's mistake: a 400 that says what was wrong, and nothing logged as an error (an error log is for the desk's
/// own faults). On the customers' form and on the agents' forms alike.
/// </summary>
public abstract class BadFormTests(BadFormTests.LoggedDesk desk)
{
    [StorageFact]
    public async Task Complain_NulInAField_Answers400WithClearMessage()
    {
        var response = await Forms.PostAsync(desk.CreateClient(), "/complain", "/complain", ComplaintFields("Blender\0 broken"));

        await AssertRefusedAsync(response, "cannot be taken");
    }

    [StorageFact]
    public async Task Complain_NulInAFieldOfAFormWithFiles_Answers400WithClearMessage()
    {
        var response = await Forms.PostWithFilesAsync(desk.CreateClient(), "/complain", "/complain", ComplaintFields("Blender\0 broken"),
            ("photo.png", [0x89, 0x50, 0x4E, 0x47, 1, 2, 3]));

        await AssertRefusedAsync(response, "cannot be taken");
    }

    [StorageFact]
    public async Task Complain_FiveMegabyteField_Answers400WithClearMessage()
    {
        var response = await Forms.PostAsync(desk.CreateClient(), "/complain", "/complain",
            ComplaintFields("Blender broken", description: new string('x', 5 * 1024 * 1024)));

        await AssertRefusedAsync(response, "too large");
    }

    [StorageFact]
    public async Task Complain_SixtyOneMegabyteMultipart_Answers400WithClearMessage()
    {
        var response = await Forms.PostWithFilesAsync(desk.CreateClient(), "/complain", "/complain", ComplaintFields("Blender broken"),
            ("photo.png", new byte[61 * 1024 * 1024]));

        await AssertRefusedAsync(response, "too large");
    }

    [StorageFact]
    public async Task AddMacro_NulInAField_Answers400WithClearMessage()
    {
        var agent = await desk.SignedInAsync("alice");
        var response = await Forms.PostAsync(agent, "/macros", "/macros", new() { ["Title"] = "Sorry\0", ["Body"] = "We are sorry." });

        await AssertRefusedAsync(response, "cannot be taken");
    }

    [StorageFact]
    public async Task AddMacro_FiveMegabyteField_Answers400WithClearMessage()
    {
        var agent = await desk.SignedInAsync("alice");
        var response = await Forms.PostAsync(agent, "/macros", "/macros", new() { ["Title"] = "Sorry", ["Body"] = new string('x', 5 * 1024 * 1024) });

        await AssertRefusedAsync(response, "too large");
    }

    private async Task AssertRefusedAsync(HttpResponseMessage response, string saying)
    {
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(saying, html);
        Assert.DoesNotContain("has been logged", html);
        Assert.Empty(desk.Errors.Entries);
    }

    private static Dictionary<string, string> ComplaintFields(string subject, string description = "It arrived in pieces.") => new()
    {
        ["Name"] = "Nora Quinn", ["Email"] = "nora.bad-form@example.org", ["Subject"] = subject,
        ["Description"] = description,
    };

    /// <summary>A desk whose error log the test reads.</summary>
    public class LoggedDesk : DeskWebFactory
    {
        public ErrorLog Errors { get; } = new();
        public override int DemoTickets => 10;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureLogging(logging => logging.AddProvider(Errors));
        }
    }

    public sealed class PostgresLoggedDesk : LoggedDesk
    {
        public override Desk.Web.Data.DatabaseProvider Provider => Desk.Web.Data.DatabaseProvider.Postgres;
    }
}

public sealed class BadFormTestsOnSqlite(BadFormTests.LoggedDesk desk) : BadFormTests(desk), IClassFixture<BadFormTests.LoggedDesk>;

public sealed class BadFormTestsOnPostgres(BadFormTests.PostgresLoggedDesk desk) : BadFormTests(desk), IClassFixture<BadFormTests.PostgresLoggedDesk>, IRunsOnPostgres;
