import { Body1, Caption1, makeStyles, mergeClasses, Subtitle2, tokens } from '@fluentui/react-components';
import { useId, useState, type KeyboardEvent } from 'react';
import type { WeeklySeries } from '../../../shared/schemas/team.js';
import { useI18n } from '../services.js';

/*
 * Emails per week per salesperson as stacked bars: plain HTML and Fluent's colour tokens, so it follows the
 * light and dark themes without a chart library. One tab stop; the arrow keys (and Home/End) move between
 * weeks, and the focused week's numbers are read out and shown under the bars.
 */

/** Palette tokens that keep their contrast in both themes, one per salesperson in turn. */
export const SERIES_COLOURS = [
  tokens.colorPaletteBlueBorderActive,
  tokens.colorPaletteDarkOrangeBorderActive,
  tokens.colorPaletteGreenBorderActive,
  tokens.colorPaletteBerryBorderActive,
  tokens.colorPaletteMarigoldBorderActive,
  tokens.colorPaletteTealBorderActive,
  tokens.colorPaletteLavenderBorderActive,
  tokens.colorPaletteRedBorderActive
];

const BAR_AREA_PX = 96;

/** A week's Monday (YYYY-MM-DD, UTC) at noon, so that it reads as that day in every time zone. */
const noonOf = (day: string | undefined) => `${day ?? '1970-01-05'}T12:00:00Z`;

const useStyles = makeStyles({
  bars: {
    display: 'flex',
    alignItems: 'flex-end',
    gap: '2px',
    height: `${BAR_AREA_PX}px`,
    margin: 0,
    padding: `0 0 ${tokens.spacingVerticalXXS}`,
    listStyleType: 'none',
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}`
  },
  week: {
    flex: 1,
    minWidth: '4px',
    height: '100%',
    display: 'flex',
    flexDirection: 'column-reverse',
    borderRadius: tokens.borderRadiusSmall,
    outlineStyle: 'none',
    cursor: 'default',
    ':hover': { backgroundColor: tokens.colorNeutralBackground1Hover }
  },
  focused: {
    backgroundColor: tokens.colorNeutralBackground1Selected,
    ':focus-visible': {
      outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}`
    }
  },
  segment: { width: '100%' },
  axis: { display: 'flex', justifyContent: 'space-between', color: tokens.colorNeutralForeground3 },
  readout: { minHeight: '1.5em', display: 'block' },
  legend: {
    listStyleType: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexWrap: 'wrap',
    columnGap: tokens.spacingHorizontalM,
    rowGap: tokens.spacingVerticalXXS
  },
  swatch: {
    display: 'inline-block',
    width: '10px',
    height: '10px',
    marginRight: tokens.spacingHorizontalXS,
    borderRadius: tokens.borderRadiusSmall
  }
});

const colourOf = (n: number) => SERIES_COLOURS[n % SERIES_COLOURS.length];

/** The key that moves the focus between weeks, to the week it moves to (undefined for any other key). */
function weekAfterKey(key: string, focused: number, last: number): number | undefined {
  const moves: Record<string, number> = {
    ArrowLeft: focused - 1,
    ArrowRight: focused + 1,
    ArrowDown: focused - 1,
    ArrowUp: focused + 1,
    Home: 0,
    End: last
  };
  return moves[key];
}

export function ActivityChart({ weeks, series }: { weeks: string[]; series: WeeklySeries[] }) {
  const styles = useStyles();
  const i18n = useI18n();
  const titleId = useId();
  const hintId = useId();
  const [focused, setFocused] = useState(() => Math.max(0, weeks.length - 1));
  const totals = weeks.map((_, week) => series.reduce((sum, s) => sum + (s.counts[week] ?? 0), 0));
  const weekLabel = (week: number) => {
    const details = series
      .filter((s) => (s.counts[week] ?? 0) > 0)
      .map((s) => `${s.salesperson.name} ${s.counts[week] ?? 0}`)
      .join(', ');
    return i18n.t('chartWeek', { date: i18n.date(noonOf(weeks[week])), details: details || '0' });
  };
  const onKeyDown = (event: KeyboardEvent<HTMLOListElement>) => {
    const target = weekAfterKey(event.key, focused, weeks.length - 1);
    if (target === undefined) return;
    event.preventDefault();
    const next = Math.min(weeks.length - 1, Math.max(0, target));
    setFocused(next);
    (event.currentTarget.children[next] as HTMLElement | undefined)?.focus();
  };

  return (
    <section aria-labelledby={titleId}>
      <Subtitle2 as="h2" block id={titleId}>
        {i18n.t('chartTitle')}
      </Subtitle2>
      {!totals.some((total) => total > 0) ? (
        <Body1 as="p" block>
          {i18n.t('chartEmpty')}
        </Body1>
      ) : (
        <>
          <ol className={styles.bars} aria-labelledby={titleId} aria-describedby={hintId} onKeyDown={onKeyDown}>
            {weeks.map((week, index) => (
              <li
                key={week}
                className={mergeClasses(styles.week, index === focused && styles.focused)}
                tabIndex={index === focused ? 0 : -1}
                aria-label={weekLabel(index)}
                onFocus={() => setFocused(index)}
                title={weekLabel(index)}
              >
                <WeekBar series={series} week={index} highest={Math.max(1, ...totals)} />
              </li>
            ))}
          </ol>
          <Caption1 className={styles.axis} aria-hidden>
            <span>{i18n.date(noonOf(weeks[0]))}</span>
            <span>{i18n.date(noonOf(weeks[weeks.length - 1]))}</span>
          </Caption1>
          <Caption1 className={styles.readout} aria-live="polite">
            {weekLabel(focused)}
          </Caption1>
          <Caption1 id={hintId} className={styles.axis}>
            {i18n.t('chartHint')}
          </Caption1>
          <Legend series={series} />
        </>
      )}
    </section>
  );
}

/** One week's bar: a segment per salesperson with mail that week, as tall as their share of the busiest week. */
function WeekBar({ series, week, highest }: { series: WeeklySeries[]; week: number; highest: number }) {
  const styles = useStyles();
  return (
    <>
      {series.map((s, n) => {
        const count = s.counts[week] ?? 0;
        if (count === 0) return null;
        return (
          <span
            key={s.salesperson.id}
            className={styles.segment}
            aria-hidden
            style={{ height: `${(count / highest) * 100}%`, backgroundColor: colourOf(n) }}
          />
        );
      })}
    </>
  );
}

/** Each salesperson's colour, name and total over the weeks shown. */
function Legend({ series }: { series: WeeklySeries[] }) {
  const styles = useStyles();
  return (
    <ul className={styles.legend}>
      {series.map((s, n) => (
        <li key={s.salesperson.id}>
          <Caption1>
            <span className={styles.swatch} aria-hidden style={{ backgroundColor: colourOf(n) }} />
            {s.salesperson.name} ({s.counts.reduce((a, b) => a + b, 0)})
          </Caption1>
        </li>
      ))}
    </ul>
  );
}
