using CitationService.Core.Model;

namespace CitationService.Tests.Model;

public class PithAddressTests
{
    private const string Uuid = "745b4799-6ac4-4abe-924f-78bf0a08ffa1";

    [Theory]
    [InlineData("https://pith.science/citations/745b4799-6ac4-4abe-924f-78bf0a08ffa1")]
    [InlineData("https://www.pith.science/citations/745b4799-6ac4-4abe-924f-78bf0a08ffa1")]
    [InlineData("http://pith.science/citations/745b4799-6ac4-4abe-924f-78bf0a08ffa1/")]
    [InlineData("pith.science/citations/745b4799-6ac4-4abe-924f-78bf0a08ffa1")]
    [InlineData("  HTTPS://WWW.Pith.Science/citations/745B4799-6AC4-4ABE-924F-78BF0A08FFA1  ")]
    [InlineData("https://pith.science/citations/745b4799-6ac4-4abe-924f-78bf0a08ffa1.json")]
    [InlineData("https://pith.science/citations/745b4799-6ac4-4abe-924f-78bf0a08ffa1/citers.json")]
    [InlineData("https://pith.science:443/citations/745b4799-6ac4-4abe-924f-78bf0a08ffa1#papers")]
    [InlineData("http://www.pith.science:80/citations/745b4799-6ac4-4abe-924f-78bf0a08ffa1")]
    [InlineData("https://pith.science:65535/citations/745b4799-6ac4-4abe-924f-78bf0a08ffa1")]
    [InlineData("http://pith.science:8/citations/745b4799-6ac4-4abe-924f-78bf0a08ffa1")]
    [InlineData("https://pith.science/citations/745b4799-6ac4-4abe-924f-78bf0a08ffa1?utm_source=feed")]
    [InlineData("https://pith.science/citations/745b4799-6ac4-4abe-924f-78bf0a08ffa1?x")]
    [InlineData("https://pith.science/citations/745b4799-6ac4-4abe-924f-78bf0a08ffa1?=v")]
    [InlineData("https://pith.science/citations/745b4799-6ac4-4abe-924f-78bf0a08ffa1?=v&x&cat=&&")]
    [InlineData("https://pith.science/citations/745b4799-6ac4-4abe-924f-78bf0a08ffa1?")]
    [InlineData("https://pith.science/citations/745b4799-6ac4-4abe-924f-78bf0a08ffa1?ref=home&page=3&utm_campaign=x&UTM_MEDIUM=y")]
    [InlineData("https://pith.science/citations/745b4799-6ac4-4abe-924f-78bf0a08ffa1#?cat=cs.LG")]
    [InlineData("https://pith.science/citations/745b4799-6ac4-4abe-924f-78bf0a08ffa1#")]
    public void TryParse_reduces_every_form_of_the_address_to_the_hub_when_unfiltered(string url)
    {
        var address = PithAddress.TryParse(url);

        Assert.Equal(new PithAddress(Uuid, ""), address);
        Assert.Equal("https://pith.science/citations/" + Uuid, address!.CanonicalUrl);
        Assert.False(address.IsFiltered);
    }

    [Theory]
    [InlineData("?cat=cs.LG", "cat=cs.LG")]
    [InlineData("?year=2021&cat=cs.LG", "cat=cs.LG&year=2021")]
    [InlineData("?cat=cs.LG&year=2021", "cat=cs.LG&year=2021")]
    [InlineData("/?role=method&cat=", "role=method")]
    [InlineData(".json?cat=cs%2ECL", "cat=cs.CL")]
    [InlineData("?CAT=cs.AI&page=2", "cat=cs.AI")]
    [InlineData("?cat=cs.LG&cat=cs.AI", "cat=cs.AI&cat=cs.LG")]
    [InlineData("?cat=cs.AI&cat=cs.LG", "cat=cs.AI&cat=cs.LG")]
    [InlineData("?year=2021&cat=cs.LG&cat=cs.AI", "cat=cs.AI&cat=cs.LG&year=2021")]
    [InlineData("?+cat+=+cs.LG+", "cat=cs.LG")]
    [InlineData("?%20cat%20=%20cs.LG%20", "cat=cs.LG")]
    [InlineData("?q=a=b", "q=a=b")]
    [InlineData("?cat=%zz", "cat=%zz")]
    [InlineData("?utmost=1&reference=2&pages=3", "pages=3&reference=2&utmost=1")]
    [InlineData("?cat=cs.LG&&utm_source=feed", "cat=cs.LG")]
    [InlineData("?cat=cs.LG#year=2021", "cat=cs.LG")]
    public void TryParse_keeps_the_filter_with_its_parameters_sorted_when_the_view_is_filtered(string suffix, string filter)
    {
        var address = PithAddress.TryParse("https://pith.science/citations/" + Uuid + suffix);

        Assert.Equal(new PithAddress(Uuid, filter), address);
        Assert.True(address!.IsFiltered);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    [InlineData("https://pith.example/hub/attention")]
    [InlineData("https://pith.science/papers/745b4799-6ac4-4abe-924f-78bf0a08ffa1")]
    [InlineData("https://pith.science/citations/745b4799-6ac4-4abe-924f")]
    [InlineData("https://pith.science/citations/745b4799-6ac4-4abe-924f-78bf0a08ffa1/other")]
    [InlineData("https://pith.science/citations/zz5b4799-6ac4-4abe-924f-78bf0a08ffa1")]
    [InlineData("https://notpith.science/citations/745b4799-6ac4-4abe-924f-78bf0a08ffa1")]
    [InlineData("ftp://pith.science/citations/745b4799-6ac4-4abe-924f-78bf0a08ffa1")]
    [InlineData("://pith.science/citations/745b4799-6ac4-4abe-924f-78bf0a08ffa1")]
    [InlineData("https://#pith.science/citations/745b4799-6ac4-4abe-924f-78bf0a08ffa1")]
    [InlineData("https://?pith.science/citations/745b4799-6ac4-4abe-924f-78bf0a08ffa1")]
    [InlineData("#pith.science/citations/745b4799-6ac4-4abe-924f-78bf0a08ffa1")]
    [InlineData("?pith.science/citations/745b4799-6ac4-4abe-924f-78bf0a08ffa1")]
    [InlineData("/citations/745b4799-6ac4-4abe-924f-78bf0a08ffa1")]
    [InlineData(":443/citations/745b4799-6ac4-4abe-924f-78bf0a08ffa1")]
    [InlineData("https://pith.science:a=b/citations/745b4799-6ac4-4abe-924f-78bf0a08ffa1")]
    [InlineData("https://pith.science:/citations/745b4799-6ac4-4abe-924f-78bf0a08ffa1")]
    [InlineData("https://pith.science:443x/citations/745b4799-6ac4-4abe-924f-78bf0a08ffa1")]
    [InlineData("https://pith.science:123456/citations/745b4799-6ac4-4abe-924f-78bf0a08ffa1")]
    [InlineData("https://pith.science/citations/?745b4799-6ac4-4abe-924f-78bf0a08ffa1")]
    [InlineData("https://pith.science/citations/#745b4799-6ac4-4abe-924f-78bf0a08ffa1")]
    public void TryParse_returns_null_when_the_address_is_not_a_pith_hub(string? url)
    {
        Assert.Null(PithAddress.TryParse(url));
    }
}
