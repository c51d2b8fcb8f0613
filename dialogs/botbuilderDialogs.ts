/**
 * The parts of botbuilder-dialogs this bot uses, imported from their own modules. The package's
 * index also loads every prompt and, through them, the Microsoft text recognizers for all their
 * cultures (numbers, dates, choices): about 16 MB of heap and 0.3 s at start that no dialog here
 * uses (the bot asks with cards, never with prompts). botbuilder-dialogs is pinned exactly (4.23.3);
 * test/dialogs/botbuilderDialogs.test.ts holds these the same classes as the package's index.
 */
export { ComponentDialog } from 'botbuilder-dialogs/lib/componentDialog';
export { Dialog, DialogTurnStatus, type DialogTurnResult } from 'botbuilder-dialogs/lib/dialog';
export { DialogContext, type DialogState } from 'botbuilder-dialogs/lib/dialogContext';
export { DialogSet } from 'botbuilder-dialogs/lib/dialogSet';
export { WaterfallDialog } from 'botbuilder-dialogs/lib/waterfallDialog';
export { WaterfallStepContext } from 'botbuilder-dialogs/lib/waterfallStepContext';
