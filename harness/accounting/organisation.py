"""Organisation: the tenant itself (GET only), plus how a new organisation is laid out."""

from ..xerojson import msdate


def new_organisation(tenant_id, name, now, country="GB", currency="GBP", short_code=None):
    return {
        "OrganisationID": tenant_id,
        "Name": name,
        "LegalName": name,
        "PaysTax": True,
        "Version": "UK" if country == "GB" else "GLOBAL",
        "OrganisationType": "COMPANY",
        "OrganisationEntityType": "COMPANY",
        "BaseCurrency": currency,
        "CountryCode": country,
        "IsDemoCompany": False,
        "OrganisationStatus": "ACTIVE",
        "FinancialYearEndDay": 31,
        "FinancialYearEndMonth": 3,
        "SalesTaxBasis": "ACCRUALS",
        "SalesTaxPeriod": "QUARTERLY1",
        "DefaultSalesTax": "Tax Exclusive",
        "DefaultPurchasesTax": "Tax Exclusive",
        "CreatedDateUTC": msdate(now),
        "Timezone": "GMTSTANDARDTIME",
        "ShortCode": short_code or "!" + tenant_id[:5],
        "Class": "STANDARD",
        "Edition": "BUSINESS",
        "Addresses": [],
        "Phones": [],
        "ExternalLinks": [],
        "PaymentTerms": {},
    }
