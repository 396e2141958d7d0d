using FluentValidation;
using Metal3.Core.Bmc;
using Metal3.Contracts.Api;

namespace Metal3.Server.Api.Validation;

/// <summary>
/// Checks what every BMC needs (a parseable address, credentials when its driver needs them) and asks the address's
/// driver for the rest, so a protocol's limits are known in one place: its driver.
/// </summary>
public sealed class BmcRequestValidator : AbstractValidator<BmcRequest>
{
    private readonly Dictionary<BmcDriverKind, BmcDriverDescriptor> _byKind;

    public BmcRequestValidator(IEnumerable<BmcDriverDescriptor> drivers)
    {
        _byKind = drivers.SelectMany(d => d.Kinds.Select(k => (k, d))).ToDictionary(x => x.k, x => x.d);

        RuleFor(b => b.Address).Custom((address, context) =>
        {
            if (!BmcAddress.TryParse(address, out var parsed, out string error))
            {
                context.AddFailure(error);
            }
            else if (!_byKind.ContainsKey(parsed.Kind))
            {
                context.AddFailure($"no driver for {parsed.Scheme}:// is installed in this daemon");
            }
            else
            {
                AddDriverErrors(context, BmcField.Address);
            }
        });

        RuleFor(b => b.Username)
            .NotEmpty().When(NeedsCredentials).WithMessage("a username is required for this BMC")
            .MaximumLength(256);
        RuleFor(b => b.Username).Custom((_, context) => AddDriverErrors(context, BmcField.Username));

        RuleFor(b => b.Password)
            .Must((bmc, password, ctx) => !string.IsNullOrEmpty(password) || PasswordAlreadyStored(ctx))
            .When(NeedsCredentials)
            .WithMessage("a password is required for this BMC")
            .MaximumLength(256);
        RuleFor(b => b.Password).Custom((_, context) => AddDriverErrors(context, BmcField.Password));
    }

    private (BmcDriverDescriptor Driver, BmcAddress Address)? DriverFor(BmcRequest b) =>
        BmcAddress.TryParse(b.Address, out var address, out _) && _byKind.TryGetValue(address.Kind, out var driver)
            ? (driver, address)
            : null;

    private bool NeedsCredentials(BmcRequest b) => DriverFor(b)?.Driver.NeedsCredentials == true;

    /// <summary>The driver's findings about one field, reported on that field.</summary>
    private void AddDriverErrors(ValidationContext<BmcRequest> context, BmcField field)
    {
        var bmc = context.InstanceToValidate;
        if (DriverFor(bmc) is not var (driver, address))
        {
            return;
        }
        foreach (var error in driver.Validate(address, bmc.Username, bmc.Password).Where(e => e.Field == field))
        {
            context.AddFailure(error.Message);
        }
    }

    private static bool PasswordAlreadyStored(ValidationContext<BmcRequest> ctx) =>
        ctx.RootContextData.TryGetValue(HostRequestValidator.PasswordStored, out var stored) && stored is true;
}
