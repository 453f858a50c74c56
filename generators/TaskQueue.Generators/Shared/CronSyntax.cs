using System;
using System.Globalization;

namespace TaskQueue.Generators.Shared
{
    /// <summary>
    /// Checks a cron expression the way Cronos (the runtime's parser) accepts it, for the analyzers, which cannot ship
    /// Cronos: 5 fields (minute hour day-of-month month day-of-week) or 6 (seconds first); in each field <c>*</c>,
    /// <c>?</c>, values, ranges <c>a-b</c>, steps <c>/n</c> and comma lists; month and day names; <c>L</c>, <c>L-n</c>,
    /// <c>LW</c> and <c>nW</c> in day-of-month; <c>nL</c> and <c>n#k</c> in day-of-week; and the <c>@</c> macros.
    /// A test checks it agrees with Cronos on a table of expressions.
    /// </summary>
    internal static class CronSyntax
    {
        private static readonly string[] Macros =
        {
            "@every_second", "@every_minute", "@hourly", "@daily", "@midnight", "@weekly", "@monthly", "@yearly", "@annually",
        };

        private static readonly string[] MonthNames = { "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC" };
        private static readonly string[] DayNames = { "SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT" };

        private enum Field
        {
            Second,
            Minute,
            Hour,
            DayOfMonth,
            Month,
            DayOfWeek,
        }

        /// <summary>Null when <paramref name="cron"/> is valid, else why not.</summary>
        public static string? Check(string? cron)
        {
            if (cron is null || cron.Trim().Length == 0)
            {
                return "the expression is empty";
            }

            var text = cron.Trim();
            if (text[0] == '@')
            {
                foreach (var macro in Macros)
                {
                    if (string.Equals(text, macro, StringComparison.OrdinalIgnoreCase))
                    {
                        return null;
                    }
                }

                return "'" + text + "' is not a known macro";
            }

            var parts = text.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 5 && parts.Length != 6)
            {
                return "it has " + parts.Length.ToString(CultureInfo.InvariantCulture) + " fields; use 5 (minute hour day month weekday) or 6 (seconds first)";
            }

            var first = parts.Length == 6 ? Field.Second : Field.Minute;
            for (var i = 0; i < parts.Length; i++)
            {
                var field = (Field)((int)first + i);
                if (CheckField(parts[i], field) is { } problem)
                {
                    return "the " + Describe(field) + " field '" + parts[i] + "' is invalid: " + problem;
                }
            }

            return null;
        }

        private static string? CheckField(string text, Field field)
        {
            var items = text.Split(',');
            if (items.Length > 1 && (field == Field.DayOfMonth || field == Field.DayOfWeek))
            {
                foreach (var item in items)
                {
                    // Cronos takes L, W and # only as the whole field, never inside a list.
                    if (item.IndexOfAny(new[] { 'L', 'l', 'W', 'w', '#' }) >= 0 && !IsName(item.ToUpperInvariant(), field))
                    {
                        return "'L', 'W' and '#' cannot be part of a list";
                    }
                }
            }

            foreach (var item in items)
            {
                if (CheckItem(item, field) is { } problem)
                {
                    return problem;
                }
            }

            return null;
        }

        private static string? CheckItem(string item, Field field)
        {
            if (item.Length == 0)
            {
                return "an empty list item";
            }

            var (min, max) = Range(field);
            var upper = item.ToUpperInvariant();
            if (field == Field.DayOfMonth)
            {
                if (upper == "L" || upper == "LW")
                {
                    return null;
                }

                if (upper.StartsWith("L-", StringComparison.Ordinal))
                {
                    var offset = upper.Substring(2);
                    if (offset.EndsWith("W", StringComparison.Ordinal))
                    {
                        offset = offset.Substring(0, offset.Length - 1);
                    }

                    return TryNumber(offset, out var n) && n >= 0 && n <= 30 ? null : "L-n needs n from 0 to 30";
                }

                if (upper.EndsWith("W", StringComparison.Ordinal))
                {
                    return TryNumber(upper.Substring(0, upper.Length - 1), out var day) && day >= 1 && day <= 31 ? null : "nW needs a day from 1 to 31";
                }
            }

            if (field == Field.DayOfWeek)
            {
                if (upper.EndsWith("L", StringComparison.Ordinal) && upper.Length > 1)
                {
                    return TryValue(upper.Substring(0, upper.Length - 1), field, out _) ? null : "nL needs a weekday";
                }

                var hash = upper.IndexOf('#');
                if (hash >= 0)
                {
                    return TryValue(upper.Substring(0, hash), field, out _) && TryNumber(upper.Substring(hash + 1), out var k) && k >= 1 && k <= 5
                        ? null
                        : "n#k needs a weekday and k from 1 to 5";
                }
            }

            var slash = upper.IndexOf('/');
            var range = slash >= 0 ? upper.Substring(0, slash) : upper;
            if (slash >= 0)
            {
                if (!TryNumber(upper.Substring(slash + 1), out var step) || step < 1 || step > max)
                {
                    return "the step must be a number from 1 to " + max.ToString(CultureInfo.InvariantCulture);
                }
            }

            if (range == "*" || range == "?")
            {
                return null;
            }

            var dash = range.IndexOf('-');
            if (dash < 0)
            {
                return TryValue(range, field, out _) ? null : "'" + range + "' is not a value from " + min.ToString(CultureInfo.InvariantCulture) + " to " + max.ToString(CultureInfo.InvariantCulture);
            }

            if (!TryValue(range.Substring(0, dash), field, out var low) || !TryValue(range.Substring(dash + 1), field, out var high))
            {
                return "'" + range + "' is not a range of values from " + min.ToString(CultureInfo.InvariantCulture) + " to " + max.ToString(CultureInfo.InvariantCulture);
            }

            return null;
        }

        /// <summary>True when every part of a range/step item is a month or day name (names may contain L or W: JUL, WED).</summary>
        private static bool IsName(string item, Field field)
        {
            var names = field == Field.DayOfWeek ? DayNames : MonthNames;
            foreach (var part in item.Split('-', '/'))
            {
                if (Array.IndexOf(names, part) < 0 && !TryNumber(part, out _))
                {
                    return false;
                }
            }

            return true;
        }

        private static bool TryValue(string text, Field field, out int value)
        {
            var (min, max) = Range(field);
            var names = field == Field.Month ? MonthNames : field == Field.DayOfWeek ? DayNames : null;
            if (names is not null)
            {
                var index = Array.IndexOf(names, text);
                if (index >= 0)
                {
                    value = field == Field.Month ? index + 1 : index;
                    return true;
                }
            }

            return TryNumber(text, out value) && value >= min && value <= max;
        }

        private static bool TryNumber(string text, out int value)
        {
            value = 0;
            if (text.Length == 0 || text.Length > 9)
            {
                return false;
            }

            foreach (var c in text)
            {
                if (c < '0' || c > '9')
                {
                    return false;
                }

                value = (value * 10) + (c - '0');
            }

            return true;
        }

        private static (int Min, int Max) Range(Field field) => field switch
        {
            Field.Second => (0, 59),
            Field.Minute => (0, 59),
            Field.Hour => (0, 23),
            Field.DayOfMonth => (1, 31),
            Field.Month => (1, 12),
            _ => (0, 7),
        };

        private static string Describe(Field field) => field switch
        {
            Field.Second => "seconds",
            Field.Minute => "minutes",
            Field.Hour => "hours",
            Field.DayOfMonth => "day-of-month",
            Field.Month => "month",
            _ => "day-of-week",
        };
    }
}
