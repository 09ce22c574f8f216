using System.Net;
using System.Text.Json;
using Desk.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Desk.Tests.Web;

/// <summary>
/// The README's <c>dotnet run --project Desk.Web</c> runs the desk as Production (a developer asks for Development with
/// <c>--launch-profile desk-development</c>), and outside Development no page ever shows an exception.
/// </summary>
public sealed class ProductionDefaultsTests
{
    [Fact]
    public void LaunchSettings_DefaultProfile_RunsAsProduction()
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(Repository.PathOf("Desk.Web", "Properties", "launchSettings.json")));
        var profiles = settings.RootElement.GetProperty("profiles").EnumerateObject().ToList();
        // dotnet run takes the first profile of kind Project.
        var first = profiles.First(p => p.Value.GetProperty("commandName").GetString() == "Project");
        Assert.Equal("Production", first.Value.GetProperty("environmentVariables").GetProperty("ASPNETCORE_ENVIRONMENT").GetString());
        Assert.Contains(profiles, p => p.Name == "desk-development");
    }

    [Fact]
    public async Task Page_ThatFails_InProduction_ShowsNoException()
    {
        await using var desk = new FailingDesk();
        var client = await desk.SignedInAsync("admin"); // past the sign-in every unknown path asks for

        var response = await client.GetAsync("/complain/boom");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.DoesNotContain("InvalidOperationException", body);
        Assert.DoesNotContain("secret detail", body);
        Assert.DoesNotContain(" at Desk.", body);
    }

    /// <summary>The desk as Production, with one path that throws behind the desk's own error handling.</summary>
    private sealed class FailingDesk : DeskWebFactory
    {
        public override int DemoTickets => 10;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment("Production");
            builder.ConfigureServices(services => services.AddSingleton<IStartupFilter>(new Boom()));
        }

        private sealed class Boom : IStartupFilter
        {
            public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
            {
                next(app);
                app.Use((HttpContext context, RequestDelegate rest) =>
                    context.Request.Path == "/complain/boom" ? throw new InvalidOperationException("secret detail") : rest(context));
            };
        }
    }
}
