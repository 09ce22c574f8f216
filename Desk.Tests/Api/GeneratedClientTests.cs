using System.Net;
using Desk.Tests.Support;
using Desk.Web.Features.Api;
using Client = Desk.Tests.Api.Client;

namespace Desk.Tests.Api;

/// <summary>
/// A client generated from the OpenAPI document (NSwag, <c>scripts/api-client.sh</c>) files a complaint and reads it back.
/// The document it was generated from is checked in beside it and must equal the one the desk serves: a change to the
/// API without a new client fails here. Run with <c>DESK_UPDATE_API_CLIENT=1</c> to write the served document over the
/// checked-in one, then regenerate the client with the script.
/// </summary>
public sealed class GeneratedClientTests(DeskWebFactory factory) : IClassFixture<DeskWebFactory>
{
    public static readonly string DocumentPath = Repository.PathOf("Desk.Tests", "Api", "Client", "desk-openapi.json");

    [Fact]
    public async Task OpenApiDocument_IsTheOneTheClientWasGeneratedFrom()
    {
        var served = (await factory.CreateClient().GetStringAsync(ApiSetup.OpenApiPath)).ReplaceLineEndings("\n");
        if (Environment.GetEnvironmentVariable("DESK_UPDATE_API_CLIENT") == "1") await File.WriteAllTextAsync(DocumentPath, served);

        var checkedIn = (await File.ReadAllTextAsync(DocumentPath)).ReplaceLineEndings("\n");

        Assert.True(served == checkedIn, "The API changed since the client was generated: run DESK_UPDATE_API_CLIENT=1 with this test, then scripts/api-client.sh.");
    }

    [Fact]
    public async Task GeneratedClient_FilesAComplaintAndReadsItBack()
    {
        var key = await ApiScopesTests.CreateKeyAsync(factory, "generated client", ApiScopes.TicketsRead, ApiScopes.TicketsWrite);
        using var http = ApiScopesTests.Api(factory, key);
        http.DefaultRequestHeaders.Add("Idempotency-Key", "generated-client-1");
        var client = new Client.DeskApiClient(http);

        var created = await client.FileComplaintAsync(new Client.ApiComplaint
        {
            Email = "generated.client@example.org", Name = "Gen Client", Subject = "client: generated", Description = "Filed by the generated client.",
        });
        var ticket = await client.GetTicketAsync(created.Number);

        Assert.Equal(Client.TicketState.Acknowledged, created.State);
        Assert.Equal(("client: generated", "Filed by the generated client."), (ticket.Ticket.Subject, ticket.Description));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/api/v1/tickets/{created.Number}")).StatusCode);
    }
}
