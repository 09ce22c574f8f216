namespace Desk.Web.Features.Shared;

/// <summary>How a change between two figures is told: as a share of the earlier one, in percentage points, or as a plain difference of scores.</summary>
public enum ChangeUnit { Relative, Points, Score }

/// <summary>
/// A figure against an earlier one, as the dashboard's tiles and the reports' comparison strips show it (<c>_TileChange</c>):
/// ▲/▼ and how much, green when it is good news, red when bad, grey when neither (<see cref="HigherIsBetter"/> null).
/// </summary>
public sealed record TileChange(double? Now, double? Then, bool? HigherIsBetter, ChangeUnit Unit = ChangeUnit.Relative);
