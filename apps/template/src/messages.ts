import type { Dictionary } from '@nuage/ui';

/** The app's words, per language; the stack tells the owner's language in the page context. */
export const MESSAGES: Record<string, Dictionary> = {
  en: {
    'app.name': 'Template',
    'notes.new': 'New note',
    'notes.add': 'Add',
    'notes.title': 'Title',
    'notes.empty.title': 'No notes yet',
    'notes.empty.text': 'Write a title above and press Add. Notes added elsewhere appear here at once.',
    'notes.pick': 'Pick a note to read it.',
    'notes.delete': 'Delete',
    'notes.deleted': 'Note deleted',
    'notes.untitled': 'Untitled',
    'notes.live': 'Live',
    'notes.reconnecting': 'Reconnecting…',
    'error.generic': 'Something went wrong: {detail}',
  },
  fr: {
    'app.name': 'Modèle',
    'notes.new': 'Nouvelle note',
    'notes.add': 'Ajouter',
    'notes.title': 'Titre',
    'notes.empty.title': 'Pas encore de notes',
    'notes.empty.text':
      'Écrivez un titre ci-dessus et appuyez sur Ajouter. Les notes ajoutées ailleurs apparaissent ici aussitôt.',
    'notes.pick': 'Choisissez une note pour la lire.',
    'notes.delete': 'Supprimer',
    'notes.deleted': 'Note supprimée',
    'notes.untitled': 'Sans titre',
    'notes.live': 'En direct',
    'notes.reconnecting': 'Reconnexion…',
    'error.generic': 'Un problème est survenu : {detail}',
  },
};
