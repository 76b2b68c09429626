// A service's icon (from the spec's `icon` name) on a coloured tile; unknown names get a box.
import generic from '../../../assets/icons/generic.svg?raw';
import mongo from '../../../assets/icons/mongo.svg?raw';
import notebook from '../../../assets/icons/notebook.svg?raw';
import postgres from '../../../assets/icons/postgres.svg?raw';

const ICONS: Partial<Record<string, string>> = { notebook, postgres, mongo, mongodb: mongo, generic };

export function iconName(icon: string | undefined): string {
  return icon && icon in ICONS ? (icon === 'mongodb' ? 'mongo' : icon) : 'generic';
}

export function ServiceIcon({ icon, size = 'md' }: { icon: string | undefined; size?: 'md' | 'lg' }) {
  const name = iconName(icon);
  return (
    <span
      className={`service-icon service-icon--${name} service-icon--${size}`}
      data-icon={name}
      aria-hidden="true"
      // Our own static SVG files, bundled at build time.
      dangerouslySetInnerHTML={{ __html: ICONS[name] ?? generic }}
    />
  );
}
