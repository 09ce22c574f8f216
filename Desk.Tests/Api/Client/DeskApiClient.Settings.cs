using System.Text.Json;
using System.Text.Json.Serialization;

namespace Desk.Tests.Api.Client;

/// <summary>The generated client's one hand-written part: the desk's enums travel as their names ("Acknowledged").</summary>
public partial class DeskApiClient
{
    static partial void UpdateJsonSerializerSettings(JsonSerializerOptions settings) => settings.Converters.Add(new JsonStringEnumConverter());
}
