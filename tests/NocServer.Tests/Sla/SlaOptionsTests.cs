using Microsoft.Extensions.Options;
using Network.Hosting;
using Network.Noc.Sla;

namespace Network.Noc.Tests;

/// <summary>The SLA's settings: the defaults are valid, a bad schedule or credit line is refused naming its key.</summary>
public sealed class SlaOptionsTests
{
    private static readonly IValidateOptions<SlaOptions> s_validator = ValidatedOptions.NamingKeys(SlaOptions.Section, new SlaOptionsValidator());

    [Fact]
    public void The_defaults_are_every_hour_in_Brussels_with_the_issue_s_credit_table()
    {
        var options = new SlaOptions();

        Assert.True(s_validator.Validate(null, options).Succeeded);
        SlaDefinition sla = options.Definition();
        Assert.Equal(("Europe/Brussels", 0, 99.5, 5.0, true), (sla.Schedule.Zone.Id, sla.Schedule.Hours.Count, sla.AvailabilityObjectivePercent, sla.ThroughputTolerancePercent, sla.NoDataCountsAsDown));
        Assert.Equal([new CreditStep(99.5, 10), new CreditStep(98, 25)], sla.Credits);
    }

    [Theory]
    [InlineData("Mon-Fri 7-18", null, "Europe/Brussels", "Sla:Hours")]
    [InlineData(null, "2026-02-20/2026-02-16 backwards", "Europe/Brussels", "Sla:Hours")]
    [InlineData(null, null, "Europe/Nowhere", "Sla:Hours")]
    public void A_bad_schedule_is_refused_naming_the_key(string? hours, string? excluded, string zone, string key)
    {
        var options = new SlaOptions { TimeZone = zone };
        if (hours is not null)
        {
            options.Hours.Add(hours);
        }

        if (excluded is not null)
        {
            options.Excluded.Add(excluded);
        }

        ValidateOptionsResult result = s_validator.Validate(null, options);
        Assert.True(result.Failed);
        Assert.StartsWith(key, Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Fact]
    public void A_credit_line_over_100_percent_is_refused()
    {
        var options = new SlaOptions { Credits = [new CreditStepOptions { BelowPercent = 99, CreditPercent = 150 }] };

        ValidateOptionsResult result = s_validator.Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains("Credits", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }
}
