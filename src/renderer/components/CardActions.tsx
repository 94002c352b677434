import { memo } from 'react';
import type { ServerView } from '../../shared/server';

/**
 * The place for a card's own buttons (Wake, Suspend, Shut down, Console…). It renders nothing
 * until the power-control work fills it; the card already lays out a row for whatever it returns,
 * and these buttons sit above the card's click target, so they do not open the drawer.
 */
export const CardActions = memo(function CardActions(_props: { server: ServerView }) {
  return null;
});
